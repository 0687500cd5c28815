package dev.dvemu.testkit;

/** How the tables of {@link DvemuTest#metadata()} (or {@link DvemuConfig.Builder#metadata}) relate to the built-in ones. */
public enum Tables {
    /** Served together with the built-in tables ({@code --metadata builtin,DIR}). */
    ADD,
    /** Served instead of the built-in tables ({@code --metadata DIR}). */
    REPLACE
}
