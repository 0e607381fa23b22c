/// Each dispatch model version records its matter suggester's held-out accuracy beside the
/// department figures, for the administrators' list of versions.
let m040MatterAccuracy = Migration(
    version: 40, name: "matter_accuracy",
    statements: { _ in ["ALTER TABLE dispatch_models ADD COLUMN matter_accuracy DOUBLE PRECISION"] })
