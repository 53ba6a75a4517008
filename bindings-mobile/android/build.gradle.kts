// The Android library module of the Kinerja mobile bindings (AAR `id.kinerja:kinerja`).
//
// It packages what bindings-mobile/scripts/build-android.sh produces:
//   target/mobile/android/kotlin/      the generated Kotlin (uniffi, Android flavour)
//   target/mobile/android/jniLibs/<abi>/libkinerja_mobile.so   one library per ABI
// Run that script first, then `gradle :kinerja:assembleRelease` from a project that
// includes this module (see docs/mobile.md). Not built on the project's Linux machines:
// there is no Android SDK/NDK there.
plugins {
    id("com.android.library") version "8.5.2"
    id("org.jetbrains.kotlin.android") version "2.0.21"
}

val generatedDir: File =
    (findProperty("kinerja.generated") as String?)?.let { file(it) } ?: file("../../target/mobile/android")

android {
    namespace = "id.kinerja"
    compileSdk = 34

    defaultConfig {
        minSdk = 24
        consumerProguardFiles("consumer-rules.pro")
    }

    sourceSets {
        getByName("main") {
            kotlin.srcDir(generatedDir.resolve("kotlin"))
            jniLibs.srcDir(generatedDir.resolve("jniLibs"))
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions {
        jvmTarget = "17"
    }
}

dependencies {
    // uniffi's Kotlin calls the native library through JNA; the Android flavour of
    // JNA (an AAR with its own per-ABI libjnidispatch.so).
    implementation("net.java.dev.jna:jna:5.14.0@aar")
    // Storing the saved session encrypted (docs/mobile.md, "Storing the session").
    implementation("androidx.security:security-crypto:1.1.0-alpha06")
}
