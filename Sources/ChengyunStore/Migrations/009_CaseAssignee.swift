/// The inspector a verification or check task was sent to by name (派遣核实/核查).
let m009CaseAssignee = Migration(
    version: 9, name: "case assignee",
    sql: [
        "ALTER TABLE cases ADD COLUMN assignee_id TEXT"
    ])
