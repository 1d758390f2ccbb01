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
// `logic`: plain-Kotlin view models and adapters over the generated API (JVM-tested).
include(":logic")
// `app`: the Compose app.
include(":app")
