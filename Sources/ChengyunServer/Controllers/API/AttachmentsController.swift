import ChengyunCore
import ChengyunStore
import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit

/// Uploading evidence (multipart/form-data) and reading a case's files.
struct AttachmentsController {
    let platform: Platform

    struct Listing: Encodable, Sendable {
        var items: [Attachment]
    }

    func routes() -> RouteCollection<AppRequestContext> {
        let routes = RouteCollection(context: AppRequestContext.self)
        routes.on(.post, "attachments", CasesController.reporters.or(.allStaff)) { request, _, principal in
            var request = request
            guard let contentType = request.headers[.contentType], contentType.lowercased().hasPrefix("multipart/form-data"),
                  let boundary = Self.parameter("boundary", in: contentType) else {
                throw Problem(status: .unsupportedMediaType, code: "unsupported_media_type",
                              detail: "Send files as multipart/form-data, one part per file.")
            }
            let policy = platform.settings.attachments
            let buffer = try await request.collectBody(upTo: policy.maxBytes * 5 + 64 * 1024)
            let parts = try Self.parts(of: buffer, boundary: boundary)
            let files = parts.filter { $0.filename != nil }
            guard !files.isEmpty, files.count <= 5 else {
                throw Problem.badRequest("invalid_upload", "Send one to five files, each as a part with a filename.")
            }
            var saved: [Attachment] = []
            for file in files {
                saved.append(try await platform.files.save(Array(file.body.readableBytesView), declaredType: file.contentType,
                                                           name: file.filename ?? "file", by: principal))
            }
            return JSONBody(Listing(items: saved), status: .created)
        }
        routes.on(.get, "cases/{id}/attachments/{attachmentId}", .authenticated) { _, context, principal in
            let (attachment, data) = try await platform.files.read(caseId: try context.id(), attachmentId: try context.id("attachmentId"),
                                                                  by: principal)
            var headers = HTTPFields()
            headers[.contentType] = attachment.contentType
            headers[.cacheControl] = "private, max-age=86400, immutable"
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        return routes
    }

    struct Part {
        var filename: String?
        var contentType: String?
        var body: ByteBuffer
    }

    static func parts(of buffer: ByteBuffer, boundary: String) throws -> [Part] {
        final class Collector {
            var parts: [Part] = []
            var headers: [String: String] = [:]
            var body = ByteBuffer()
        }
        let collector = Collector()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.headers[name.lowercased()] = value }
        parser.onBody = { chunk in collector.body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = collector.headers["content-disposition"] ?? ""
            collector.parts.append(Part(filename: parameter("filename", in: disposition), contentType: collector.headers["content-type"],
                                        body: collector.body))
            collector.headers = [:]
            collector.body = ByteBuffer()
        }
        do {
            try parser.execute(buffer)
        } catch {
            throw Problem.badRequest("invalid_upload", "The multipart body could not be read.")
        }
        return collector.parts
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
