#if canImport(Glibc)
import Glibc
#endif
import RealtimeStack
import Validation
import YAML

/// The libFuzzer entry point: `make fuzz` builds this target with `--sanitize=fuzzer` and
/// `--sanitize=address` and `-DMENORT_FUZZ`, and libFuzzer supplies `main`.
///
/// Each input goes through everything that reads untrusted text: the parser (tree and
/// limits), every validation family, the emitter on the parsed tree, which must write any
/// tree the parser can build, and the config reader (as a `menort.yaml`) with the builder and
/// renderer behind it, which must render whatever config it accepts. A crash, a hang, a leak or an out-of-bounds access is a
/// finding; diagnostics are not.
enum FuzzTarget {
    static let validator = Validator(today: "2026-11-27", fileExists: { _ in false })

    static func run(_ bytes: [UInt8]) {
        _ = validator.validate(file: "fuzz.yaml", bytes: bytes, directory: "/fuzz")
        if let documents = try? Parser.parseDocuments(bytes) {
            for document in documents { _ = try? Emitter.emit(document) }
        }
        if let config = try? StackConfig.parse(bytes: bytes, file: "menort.yaml", today: "2026-11-27") {
            // A config the reader accepts always renders: a refusal here is a bug, so it crashes.
            do {
                _ = try config.render()
            } catch {
                fatalError("an accepted config did not render: \(error)")
            }
        }
    }
}

#if MENORT_FUZZ
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    FuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
/// Without libFuzzer the target runs each file named on the command line through the same
/// path, so a crash input saved by `make fuzz` can be replayed under a debugger.
@main
struct Replay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let file = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = fread(&buffer, 1, buffer.count, file)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            fclose(file)
            FuzzTarget.run(bytes)
            print("replayed \(path): \(bytes.count) bytes, no crash")
        }
    }
}
#endif
