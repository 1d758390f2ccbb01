// Tessera's Android build. The Rust library and the generated Kotlin come from
// scripts/build-android (cargo-ndk + uniffi-bindgen); Gradle packages and tests them.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "tessera-android"

// `tessera`: the AAR developers embed (generated Kotlin + jniLibs + JNA).
include(":tessera")
// `bindings-jvm`: the same generated API for a desktop JVM, so `logic` compiles and tests without Android.
include(":bindings-jvm")
// `logic`: plain-Kotlin view models (JVM-tested with fakes).
include(":logic")
// `adapters`: the logic module's interfaces implemented over the generated API (JVM-tested against the host library).
include(":adapters")
// `app`: the Compose app.
include(":app")
