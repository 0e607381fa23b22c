import ChengyunCore
import ChengyunStore
import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit

/// Uploading evidence (multipart/form-data) and reading a case's files.
struct AttachmentsController {
    let platform: Platform

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(
            .post, "attachments", CasesController.reporters.or(.allStaff),
            RouteDoc(
                "Upload one to five files (multipart/form-data, one part per file). Photos (JPEG, PNG, WebP), PDF and MP4 up to the configured size; the bytes must match the declared type. Link them to a report or a step by id.",
                .cases, body: .multipartFile, status: 201, outcome: "Stored",
                answers: [
                    .problem(400, "Unreadable multipart body"),
                    .problem(413, "file_too_large; upload_quota_exceeded (the person's daily upload quota)"),
                    .problem(415, "Not multipart"), .problem(422, "unsupported_type, type_mismatch, empty_file"),
                ])
        ) { request, _, principal in
            var request = request
            guard let contentType = request.headers[.contentType],
                contentType.lowercased().hasPrefix("multipart/form-data"),
                let boundary = Self.parameter("boundary", in: contentType)
            else {
                throw Problem(
                    status: .unsupportedMediaType, code: "unsupported_media_type",
                    detail: "Send files as multipart/form-data, one part per file.")
            }
            let files = try await Self.spool(request.body, boundary: boundary, store: platform.files)
            var saved: [Attachment] = []
            do {
                for (index, file) in files.enumerated() {
                    do { saved.append(try await platform.files.save(file, by: principal)) } catch {
                        for rest in files[(index + 1)...] { rest.discard() }
                        throw error
                    }
                }
            }
            return JSONBody(Listing(items: saved), status: .created)
        }
        routes.on(
            .get, "cases/{id}/attachments/{attachmentId}", .authenticated,
            RouteDoc(
                "A file of a case, to those who may see the case", .cases, success: .ok(.binary, "The file"),
                answers: [.problem(403, "Outside scope"), .problem(404, "Not found or not this case's")],
                alsoShared: [.validationFailed, .badRequest])
        ) { _, context, principal in
            let (attachment, data) = try await platform.files.read(
                caseId: try context.id(), attachmentId: try context.id("attachmentId"),
                by: principal)
            return Self.file(attachment, data)
        }
        return routes
    }

    /// A stored file as the answer: its own type, never sniffed, cached privately (ids name bytes).
    static func file(_ attachment: Attachment, _ data: Data) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = attachment.contentType
        headers[.cacheControl] = "private, max-age=86400, immutable"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let maxFiles = 5
    /// Bytes of a part that is not a file (a form field) kept, and of the part headers.
    static let maxFieldBytes = 64 * 1024

    /// Reads a multipart body as it arrives, each file part written straight to a spool file of
    /// its own (hashed on the way, cut off at the size limit), so an upload never sits whole in
    /// memory. Form fields are skipped. Answers the spooled files, one to five of them.
    static func spool(_ body: RequestBody, boundary: String, store: AttachmentStore) async throws -> [SpooledFile] {
        final class Reader {
            var files: [SpooledFile] = []
            var headers: [String: String] = [:]
            var current: SpooledFile?
            var started = false
            var fieldBytes = 0
            var failure: (any Error)?
        }
        let reader = Reader()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in
            reader.fieldBytes += name.utf8.count + value.utf8.count
            reader.headers[name.lowercased()] = value
        }
        parser.onBody = { chunk in
            guard reader.failure == nil else { return }
            do {
                if !reader.started {
                    reader.started = true
                    let disposition = reader.headers["content-disposition"] ?? ""
                    if let filename = parameter("filename", in: disposition) {
                        guard reader.files.count < maxFiles else {
                            throw Problem.badRequest("invalid_upload", "Send at most \(maxFiles) files.")
                        }
                        let file = try store.spool(name: filename, declaredType: reader.headers["content-type"])
                        reader.files.append(file)
                        reader.current = file
                    }
                }
                if let file = reader.current {
                    try chunk.withUnsafeReadableBytes { try file.write($0) }
                    // Refused as soon as it passes the limit, not after the rest has been read.
                    if file.tooLarge {
                        throw DomainError(
                            .tooLarge, code: "file_too_large", "A file may be at most \(store.maxMegabytes) MB.")
                    }
                } else {
                    reader.fieldBytes += chunk.readableBytes
                }
            } catch {
                reader.failure = error
            }
        }
        parser.onPartComplete = {
            reader.headers = [:]
            reader.current = nil
            reader.started = false
        }
        do {
            for try await buffer in body {
                try parser.execute(buffer)
                if let failure = reader.failure { throw failure }
                guard reader.fieldBytes <= maxFieldBytes else {
                    throw Problem.badRequest("invalid_upload", "The form's fields and headers are too large.")
                }
            }
        } catch {
            for file in reader.files { file.discard() }
            if error is Problem || error is DomainError { throw error }
            throw Problem.badRequest("invalid_upload", "The multipart body could not be read.")
        }
        guard !reader.started else {
            // The body ended inside a part: a truncated upload is not stored as if it were whole.
            for file in reader.files { file.discard() }
            throw Problem.badRequest("invalid_upload", "The multipart body ended before its closing boundary.")
        }
        guard !reader.files.isEmpty else {
            throw Problem.badRequest("invalid_upload", "Send one to \(maxFiles) files, each as a part with a filename.")
        }
        return reader.files
    }

    /// A `name=value` or `name="value"` parameter of a header.
    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";") {
            let pair = piece.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix(name + "=") else { continue }
            return String(pair.dropFirst(name.count + 1)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}

extension Access {
    func or(_ other: Access) -> Access { .any([self, other]) }
}
