import ChengyunCore

extension DispatchPolicy: StrictInput {
    public enum Fields: String, CodingKey, CaseIterable { case autoDispatch, threshold, halfLifeDays }
}
