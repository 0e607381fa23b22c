/// NGSI-LD's clients tell errors apart by the problem's `type` (ETSI GS CIM 009 §5.5.2), so the
/// door's problems carry those types; `code` stays the platform's stable code.
enum ContextProblems {
    static let errors = "https://uri.etsi.org/ngsi-ld/errors/"

    static func type(status: Int, code: String) -> String? {
        let name: String? =
            switch (status, code) {
            case (400, "too_complex_query"): "TooComplexQuery"
            case (400, "invalid_json"), (400, "invalid_parameter"), (415, _): "InvalidRequest"
            case (400, _), (422, _): "BadRequestData"
            case (404, _): "ResourceNotFound"
            case (500, _): "InternalError"
            default: nil
            }
        return name.map { errors + $0 }
    }
}
