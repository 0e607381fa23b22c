import ChengyunCore
import Foundation
import SQLKit

/// Open311 settings: the jurisdiction this server answers for, whether POST answers at once
/// with the new request's id or with a token while intake runs in the background, and the
/// default rate limit of an app's key.
public struct Open311Settings: Sendable {
    /// Where the endpoints live (`/open311/v2/…`).
    public var basePath = "open311/v2"
    public var jurisdictionId = "chengyun"
    public var asyncIntake = false
    public var rateLimitPerMinute = 60
    /// Shown in discovery: who to ask about this endpoint.
    public var contact = "城市运行管理服务中心"
    public init() {}
}

/// GeoReport v2 over the case loop (docs/domain.md §9): services are the public matters, a request is a
/// case reported through the public channel with duplicate merge applied, and a request's status
/// follows its case (a merged report follows the case it was merged into).
public struct Open311Gateway: Sendable {
    let platform: Platform
    let repository = Open311Repository()
    let matters = MatterRepository()
    /// Requests become cases through the case loop's own intake.
    var cases: CaseService { platform.cases }

    // MARK: Services

    public func services() async throws -> [Open311Service] {
        try await platform.pool.read { db in
            let tree = try await CategoryRepository().tree(on: db)
            return try await matters.all(publicOnly: true, on: db).map { matter in
                let major = tree.majors.first { $0.kind == matter.kind && $0.code == matter.majorCode }
                let minor = tree.minors.first {
                    $0.kind == matter.kind && $0.majorCode == matter.majorCode && $0.code == matter.minorCode
                }
                return Open311Service(
                    code: matter.code, name: matter.name, description: matter.description,
                    metadata: !matter.customFields.isEmpty,
                    keywords: [minor?.nameEn, major?.name, major?.nameEn].compactMap { $0 }.filter { !$0.isEmpty },
                    group: major?.name ?? matter.kind.letter + matter.majorCode)
            }
        }
    }

    public func definition(code: String) async throws -> Open311Document {
        let matter = try await platform.pool.read { try await publicMatter(code: code, on: $0) }
        guard let matter else {
            throw Open311Errors(Open311Error.notFound("service_not_found", "No service has the code \(code)."))
        }
        return Open311Service.definition(code: matter.code, fields: matter.customFields)
    }

    func publicMatter(code: String, on db: any SQLDatabase) async throws -> Matter? {
        guard let code = MatterCode(code) else { return nil }
        let matter = try await matters.find(code: code, on: db)
        return matter.flatMap { $0.isPublic && $0.active ? $0 : nil }
    }

    // MARK: Submitting

    /// Takes a `POST requests`. Synchronous intake files the case in the same transaction as the
    /// submission's record and answers with its number; asynchronous intake stores the
    /// submission (durably: the token answers only after it is committed) and answers with the
    /// token, and `processPending` turns it into a case.
    public func submit(_ form: Open311Submission, by key: Principal) async throws -> Open311Receipt {
        guard key.kind == .key, key.keyScopes.contains(.open311Submit) else {
            throw Open311Errors(
                Open311Error.forbidden("api_key_not_allowed", "This api_key may not submit service requests."))
        }
        let now = platform.now()
        let token = SecureToken.make(bytes: 12)
        let payload = String(decoding: try JSONEncoder().encode(form), as: UTF8.self)
        var submission = Open311Repository.Submission(
            token: token, apiKeyId: key.id, serviceCode: form.serviceCode, payload: payload,
            mediaUrl: form.mediaURL, receivedAt: now)
        if platform.settings.open311.asyncIntake {
            let known = try await platform.pool.read { try await publicMatter(code: form.serviceCode, on: $0) }
            guard known != nil else { throw Self.unknownService(form.serviceCode) }
            try await platform.write(
                key, "open311.receive", target: "open311_submission",
                summary: { (_: Void) in (token, form.serviceCode) }
            ) { db in
                try await repository.insert(submission, on: db)
            }
            return Open311Receipt(serviceRequestId: nil, token: token, serviceNotice: nil, accountId: form.accountId)
        }
        let (record, matter) = try await platform.write(
            key, "open311.submit", target: "case",
            summary: { (filed: (Case, Matter)) in (filed.0.id, "\(filed.0.number) \(filed.1.code) via Open311") }
        ) { db -> (Case, Matter) in
            let filed = try await intake(form, by: key, on: db)
            submission.caseId = filed.0.id
            submission.processedAt = now
            try await repository.insert(submission, on: db)
            return filed
        }
        return Open311Receipt(
            serviceRequestId: record.number, token: nil, serviceNotice: notice(record, matter),
            accountId: form.accountId)
    }

    /// Files one submission as a case through the public channel.
    func intake(_ form: Open311Submission, by key: Principal, on db: any SQLDatabase) async throws -> (Case, Matter) {
        guard let matter = try await publicMatter(code: form.serviceCode, on: db) else {
            throw Self.unknownService(form.serviceCode)
        }
        var fields: [String: String] = [:]
        var errors: [Open311Error] = []
        for (code, values) in form.attributes.sorted(by: { $0.key < $1.key }) {
            guard let field = matter.customFields.first(where: { $0.key == code }) else {
                errors.append(
                    Open311Error.badRequest("unknown_attribute", "Service \(matter.code) has no attribute \(code)."))
                continue
            }
            if values.count > 1 && field.datatype != .multiValueList {
                errors.append(Open311Error.badRequest("invalid_attribute", "Attribute \(code) takes one value."))
            }
            fields[code] = values.joined(separator: ",")
        }
        let point: GeoPoint
        if let lat = form.lat, let long = form.long {
            point = GeoPoint(lon: long, lat: lat)
        } else if let address = form.addressString ?? form.addressId,
            let found = try await AddressResolver().locate(address, on: db)
        {
            point = found
        } else {
            errors.append(
                Open311Error.badRequest(
                    "address_unresolved", "The address could not be placed on the city's map; send lat and long."))
            point = GeoPoint(lon: 0, lat: 0)
        }
        guard errors.isEmpty else { throw Open311Errors(errors) }
        let report = NewReport(
            matterId: matter.id, description: form.description ?? matter.name, lon: point.lon, lat: point.lat,
            address: form.addressString, customFields: fields.isEmpty ? nil : fields, source: .citizen,
            reporterName: form.reporterName, reporterContact: form.contact)
        do {
            let outcome = try await cases.report(report, by: key, on: db)
            return (outcome.case, matter)
        } catch let error as DomainError {
            throw Open311Errors(domain: error)
        }
    }

    static func unknownService(_ code: String) -> Open311Errors {
        Open311Errors(Open311Error.badRequest("service_code_not_found", "No service has the code \(code)."))
    }

    func notice(_ record: Case, _ matter: Matter) -> String? {
        matter.closingCondition.isEmpty ? nil : matter.closingCondition
    }

    /// Turns waiting asynchronous submissions into cases, oldest first; a submission the case
    /// loop refuses keeps the reason, which its token then shows. Returns how many it handled.
    @discardableResult
    public func processPending(limit: Int = 100) async throws -> Int {
        let waiting = try await platform.pool.read { try await repository.pending(limit: limit, on: $0) }
        for submission in waiting {
            let now = platform.now()
            let key = try await platform.pool.read {
                try await APIKeyRepository().find(id: submission.apiKeyId, on: $0)
            }
            let principal = key.map(Principal.key) ?? .system
            do {
                guard key != nil else {
                    throw Open311Errors(
                        Open311Error.forbidden("invalid_api_key", "The submitting key no longer exists."))
                }
                try await platform.write(
                    principal, "open311.submit", target: "case",
                    summary: { (id: String) in (id, "\(submission.serviceCode) via Open311 \(submission.token)") }
                ) { db -> String in
                    let (record, _) = try await intake(try submission.form, by: principal, on: db)
                    guard
                        try await repository.finish(
                            token: submission.token, caseId: record.id, error: nil, at: now, on: db)
                    else {
                        throw CancellationError() // taken by another worker: roll this copy back
                    }
                    return record.id
                }
            } catch let refused as Open311Errors {
                _ = try await platform.write(
                    principal, "open311.refuse", target: "open311_submission",
                    summary: { _ in (submission.token, refused.errors.first?.code ?? "refused") }
                ) { db in
                    try await repository.finish(
                        token: submission.token, caseId: nil, error: refused.errors.first, at: now, on: db)
                }
            } catch is CancellationError {
                continue
            }
        }
        return waiting.count
    }

    // MARK: Reading

    public func requests(_ query: Open311Query) async throws -> [Open311Request] {
        try await platform.pool.read { db in
            let publicMatters = try await matters.all(publicOnly: true, on: db)
            var wanted = publicMatters
            if query.ids == nil && !query.serviceCodes.isEmpty {
                wanted = publicMatters.filter { query.serviceCodes.contains($0.code) }
            }
            let listed = try await repository.requests(query, matterIds: wanted.map(\.id), on: db)
            let effective = listed.map { $0.original ?? $0.record }
            let notes = try await repository.lastNotes(caseIds: Array(Set(effective.map(\.id))), on: db)
            let departments = try await repository.departmentNames(
                ids: Array(Set(effective.flatMap(\.departmentIds))), on: db)
            let byId = Dictionary(uniqueKeysWithValues: publicMatters.map { ($0.id, $0) })
            return listed.compactMap { item -> Open311Request? in
                guard let matter = byId[item.record.matterId] else { return nil }
                let followed = item.original ?? item.record
                var statusNotes = Open311StatusNotes.text(for: followed.state, note: notes[followed.id])
                if let original = item.original {
                    statusNotes = Open311StatusNotes.merged(into: original.number) + " " + statusNotes
                }
                let agencies = followed.departmentIds.compactMap { departments[$0] }
                return Open311Request(
                    id: item.record.number, open: followed.state.isOpen, statusNotes: statusNotes,
                    serviceName: matter.name, serviceCode: matter.code, description: item.record.description,
                    agencyResponsible: agencies.isEmpty ? nil : agencies.joined(separator: ", "),
                    serviceNotice: notice(item.record, matter), requested: item.record.reportedAt,
                    updated: max(item.record.updatedAt, item.original?.updatedAt ?? 0),
                    expected: followed.state.isOpen ? followed.caseDeadline : nil, address: item.record.address,
                    lat: item.record.lat, long: item.record.lon, mediaURL: item.mediaURL)
            }
        }
    }

    public func request(id: String) async throws -> Open311Request {
        guard let found = try await requests(Open311Query(ids: [id], from: 0, to: 0)).first else {
            throw Open311Errors(Open311Error.notFound("request_not_found", "No service request has the id \(id)."))
        }
        return found
    }

    /// What a token became: the request's id once intake has filed it.
    public func token(_ token: String) async throws -> (token: String, serviceRequestId: String?) {
        let found = try await platform.pool.read { db -> (Open311Repository.Submission, String?)? in
            guard let submission = try await repository.find(token: token, on: db) else { return nil }
            let number =
                try await submission.caseId.asyncMap { try await CaseRepository().find(id: $0, on: db)?.number } ?? nil
            return (submission, number)
        }
        guard let (submission, number) = found else {
            throw Open311Errors(Open311Error.notFound("token_not_found", "No submission has the token \(token)."))
        }
        if let code = submission.errorCode {
            throw Open311Errors(
                Open311Error.notFound(code, "The submission was not accepted: \(submission.errorDescription ?? code)"))
        }
        return (submission.token, number)
    }

    /// The city's offset from UTC, which dates are written in.
    public func utcOffsetMinutes() async throws -> Int {
        try await platform.pool.read { try await CalendarRepository().current(on: $0) }.utcOffsetMinutes
    }
}
