// swift-tools-version:6.0
import PackageDescription

// Each target is one stage of the pipeline (see README "Architecture"); each imports only
// the stages to its left: CYAML → YAML → CloudFormation → Contract → RealtimeStack | Validation → menort.
// Scaffold (what `menort init` writes) reads RealtimeStack and Validation.
// Contract is the realtime contract as data: the builder renders from it, the checker reads it.
// Local (what `menort local` serves: routes, functions, events, bootstraps; pure values) →
// LocalServer (the sockets and worker processes, on SwiftNIO) is the one branch that runs
// things; it is the only user of SwiftNIO.
let package = Package(
    name: "menort",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "menort", targets: ["menort"]),
        .executable(name: "menort-local", targets: ["menort-local"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `menort local`'s HTTP and WebSocket server. Only NIO itself (no Hummingbird, no
        // Foundation): the cold build stays short and validate's start-up unchanged (BENCHMARKS.md).
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "YAML", dependencies: ["CYAML"]),
        .target(name: "CloudFormation", dependencies: ["YAML"]),
        .target(name: "Contract", dependencies: ["CloudFormation", "YAML"]),
        .target(name: "RealtimeStack", dependencies: ["Contract", "CloudFormation", "YAML"]),
        .target(name: "Validation", dependencies: ["Contract", "CloudFormation", "YAML"]),
        .target(name: "Diff", dependencies: ["Validation", "Contract", "CloudFormation", "YAML"]),
        // `menort init`'s files: the config, the template, .env.example and a Node.js handler
        // per route, generated from the contract (pure values; the command writes them).
        .target(name: "Scaffold", dependencies: ["RealtimeStack", "Validation", "Contract", "CloudFormation"]),
        .target(name: "Local", dependencies: ["Validation", "CloudFormation", "YAML"]),
        .target(
            name: "LocalServer",
            dependencies: [
                "Local", "Validation", "CloudFormation", "YAML",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ]
        ),
        // What the command-line programs share: libc I/O, loading inputs, exit codes, and
        // `menort local`'s arguments (parsed by both programs).
        .target(
            name: "CommandSupport",
            dependencies: [
                "RealtimeStack", "Validation", "YAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "menort",
            dependencies: [
                "CommandSupport", "RealtimeStack", "Validation", "Diff", "Scaffold", "Contract", "CloudFormation", "YAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // `menort local` runs this program: the server links SwiftNIO, menort does not, so
        // validate's start-up does not pay for NIO's type metadata (BENCHMARKS.md).
        .executableTarget(
            name: "menort-local",
            dependencies: [
                "CommandSupport", "Local", "LocalServer", "Validation", "YAML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer target: `make fuzz` builds it with -DMENORT_FUZZ and the fuzzer and
        // address sanitizers; a plain build is a replayer of saved inputs.
        .executableTarget(name: "menort-fuzz", dependencies: ["Validation", "RealtimeStack", "YAML"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"]),
        .testTarget(name: "CloudFormationTests", dependencies: ["CloudFormation", "YAML"]),
        .testTarget(name: "ContractTests", dependencies: ["Contract", "CloudFormation", "YAML"]),
        .testTarget(name: "RealtimeStackTests", dependencies: ["RealtimeStack", "Contract", "CloudFormation", "YAML"]),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "RealtimeStack", "Contract", "CloudFormation", "YAML"]),
        .testTarget(name: "DiffTests", dependencies: ["Diff", "Validation", "RealtimeStack", "Contract", "CloudFormation", "YAML"]),
        .testTarget(name: "ScaffoldTests", dependencies: ["Scaffold", "RealtimeStack", "Validation", "Contract", "CloudFormation", "YAML"]),
        .testTarget(name: "LocalTests", dependencies: ["Local", "Validation", "CloudFormation", "YAML"]),
        .testTarget(name: "menortTests", dependencies: ["menort", "YAML"]),
    ],
    swiftLanguageModes: [.v6]
)
