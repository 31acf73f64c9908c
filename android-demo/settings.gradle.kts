// The Android demo of MR Companion: platform glue only (NFC, screens); every rule lives in the Rust core.
pluginManagement {
    repositories { google(); mavenCentral(); gradlePluginPortal() }
}
dependencyResolutionManagement {
    repositories { google(); mavenCentral() }
}
rootProject.name = "mrc-android-demo"
include(":app")
