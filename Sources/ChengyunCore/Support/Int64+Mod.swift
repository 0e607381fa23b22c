extension Int64 {
    /// The remainder that is never negative: times before 1970 floor to their hour or second too.
    public func mod(_ divisor: Int64) -> Int64 { ((self % divisor) + divisor) % divisor }
}
