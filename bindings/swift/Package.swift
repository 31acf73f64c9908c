// swift-tools-version:5.9
// The Swift API of the MR Companion core: the uniffi-generated code (Sources/MRCompanion/Generated and the C
// headers in Sources/MrcFFI, written by scripts/bindings.sh and never committed) plus the hand-written wrapper.
//
// On Linux (the binding tests) the native library is linked from MRC_FFI_LIB_DIR, by default ../../target/debug.
// An iOS app uses the XCFramework built by ios-demo/scripts/build-xcframework.sh instead (see ios-demo/README.md).
import Foundation
import PackageDescription

let here = URL(fileURLWithPath: Context.packageDirectory)
let libDir = ProcessInfo.processInfo.environment["MRC_FFI_LIB_DIR"]
    ?? here.appendingPathComponent("../../target/debug").standardized.path
// Written by ios-demo/scripts/build-xcframework.sh on a Mac; absent on Linux.
let xcframework = FileManager.default.fileExists(atPath: here.appendingPathComponent("MrcFFI.xcframework").path)

let ffi: Target = xcframework
    ? .binaryTarget(name: "MrcFFI", path: "MrcFFI.xcframework")
    : .systemLibrary(name: "MrcFFI", path: "Sources/MrcFFI")
let linking: [LinkerSetting] = xcframework
    ? []
    : [.linkedLibrary("mrc_ffi"), .unsafeFlags(["-L\(libDir)", "-Xlinker", "-rpath", "-Xlinker", libDir])]

let package = Package(
    name: "MRCompanion",
    platforms: [.iOS(.v15), .macOS(.v12)],
    products: [.library(name: "MRCompanion", targets: ["MRCompanion"])],
    targets: [
        ffi,
        .target(name: "MRCompanion", dependencies: ["MrcFFI"], path: "Sources/MRCompanion", linkerSettings: linking),
        .testTarget(name: "MRCompanionTests", dependencies: ["MRCompanion"], path: "Tests/MRCompanionTests"),
    ]
)
