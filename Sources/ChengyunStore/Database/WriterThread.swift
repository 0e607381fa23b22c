import Foundation

/// A thread of its own for the SQLite writer, as a task executor: the group commit's batches run
/// on it, so a batch's statements and its COMMIT (which waits for the fsync) run back to back
/// without waiting for a turn on Swift's two cooperative threads, and the fsync blocks this thread
/// rather than one of those. Jobs run in the order they arrive.
final class WriterThread: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    init(name: String = "chengyun-sqlite-writer") {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Lets the thread end once the jobs queued so far have run.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        raisePriority()
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }

    /// Everything else waits for the writer, so where the system allows it (root, or
    /// CAP_SYS_NICE) the writer runs at a higher OS priority than the request threads.
    private func raisePriority() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, -10) // on Linux, 0 is the calling thread
        #endif
    }
}
