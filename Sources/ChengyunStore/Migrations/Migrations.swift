/// Every schema step, in order. Add new steps at the end; never edit one that has shipped.
public enum Migrations {
    public static let all: [Migration] = [
        m001Organisation,
        m002People,
        m003Audit,
        m004Catalogue,
        m005Matters,
        m006Cases,
        m007Attachments,
        m008Settings,
        m009CaseAssignee,
        m010Devices,
        m011Telemetry,
        m012Open311,
        m013Ratings,
        m014Indicators,
        m015Supervision,
        m016Patrol,
        m017WarningSubscriptions,
        m018ReadingsRecent,
        m019AttachmentUploads,
        m020AuditKeys,
        m021UnknownLogins,
        m022EmergencyResources,
        m023EmergencyPlans,
        m024RoadNetworks,
    ]
}
