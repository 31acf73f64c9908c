// The demo app. It compiles the same Kotlin wrapper as the JVM library (bindings/kotlin/src/main/kotlin) and the
// bindings generated for Android by scripts/build-native.sh; the native libraries come from src/main/jniLibs.
plugins {
    id("com.android.application")
    id("org.jetbrains.kotlin.android")
    id("org.jetbrains.kotlin.plugin.compose")
}

android {
    namespace = "jp.mrcompanion.demo"
    compileSdk = 35
    defaultConfig {
        applicationId = "jp.mrcompanion.demo"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
    sourceSets["main"].java.srcDirs(
        "src/main/java",
        "../../bindings/kotlin/src/main/kotlin", // the hand-written wrapper (jp.mrcompanion)
        "build/generated/uniffi",               // uniffi output, written by scripts/build-native.sh
    )
}

dependencies {
    implementation("net.java.dev.jna:jna:5.17.0@aar") // JNA's Android build (with its native dispatch libraries)
    implementation("org.jetbrains.kotlinx:kotlinx-coroutines-android:1.10.2")
    implementation(platform("androidx.compose:compose-bom:2024.12.01"))
    implementation("androidx.compose.material3:material3")
    implementation("androidx.compose.ui:ui")
    implementation("androidx.activity:activity-compose:1.9.3")
    implementation("androidx.lifecycle:lifecycle-viewmodel-compose:2.8.7")
    implementation("androidx.lifecycle:lifecycle-runtime-compose:2.8.7")
}
