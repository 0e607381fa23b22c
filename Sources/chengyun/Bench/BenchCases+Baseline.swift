/// What `bench cases` measures its run against: the writes a step makes, by hand, after the run.
extension BenchCases {
    static let sqliteBaseline =
        "by hand on the same file after the run, same handle, pragmas and checkpointer, one thread: "
        + "each step reads the case, updates it with the revision check, appends the history line, reads the case "
        + "subscriptions it is offered to, appends the SHA-256-chained "
        + "audit entry and moves the head; steps over the same cases in commits of the run's group size"
    static let postgresBaseline =
        "by hand on the same schema after the run, the same connections as the run had in flight (at most 16 a node, one pool a node): "
        + "each step one transaction that reads the case, updates it with the revision check, appends the history line, "
        + "reads the case subscriptions it is offered to, appends the SHA-256-chained audit entry and moves the head (locked for update); steps over the same cases"
}
