import Local
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where `menort local` writes what happens: stderr, one line per write, so lines of
/// concurrent handlers never interleave mid-line. Handler lines carry `[Function]`.
struct LogSink: Sendable {
    /// Whether connection and invocation lines are written (`--quiet` turns them off;
    /// handler output, errors and warnings are always written).
    var enabled = true

    /// Writes `text`; unless `always`, only when the log is not quiet.
    func line(_ text: String, function: String? = nil, always: Bool = false) {
        guard enabled || always else { return }
        var output = function.map { "[\($0)] " } ?? ""
        output += text
        output += "\n"
        var bytes = Array(output.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { raw in
                Glibc.write(2, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            offset += written
        }
        _ = bytes.count
        bytes.removeAll()
    }
}

/// Wall-clock and monotonic time without Foundation.
enum Clock {
    /// Milliseconds since the epoch.
    static func milliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// A monotonic clock in nanoseconds, for durations.
    static func nanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// `12.34`: two decimals, as Lambda's REPORT line.
    static func format(_ milliseconds: Double) -> String {
        let hundredths = Int((milliseconds * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// ISO 8601 time, as Lambda's log lines start.
enum AWSTime {
    static func now() -> String {
        APIGatewayEvent.isoTime(epochMilliseconds: Clock.milliseconds())
    }
}
