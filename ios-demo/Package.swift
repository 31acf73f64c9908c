// swift-tools-version:5.9
// The iOS demo's screens and NFC glue as a package (no Xcode project is committed): an app target in Xcode adds
// this package and the files in App/ (see README.md). The core comes from ../bindings/swift, linked against the
// XCFramework that scripts/build-xcframework.sh builds.
import PackageDescription

let package = Package(
    name: "MRCompanionDemo",
    platforms: [.iOS(.v16)],
    products: [.library(name: "MRCompanionDemo", targets: ["MRCompanionDemo"])],
    dependencies: [.package(path: "../bindings/swift")],
    targets: [
        .target(name: "MRCompanionDemo", dependencies: [.product(name: "MRCompanion", package: "swift")])
    ]
)
