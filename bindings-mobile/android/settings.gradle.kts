// Lets the module be built on its own (`gradle assembleRelease` in this folder);
// an app includes it instead with `include(":kinerja")` and
// `project(":kinerja").projectDir = file("<path>/bindings-mobile/android")`.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "kinerja"
