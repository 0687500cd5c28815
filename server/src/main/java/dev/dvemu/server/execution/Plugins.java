package dev.dvemu.server.execution;

/** What the plug-in packages registered, checked against the tables: their steps and their custom APIs. */
public record Plugins(StepRegistry steps, CustomApis customApis) {
    public static final Plugins NONE = new Plugins(StepRegistry.EMPTY, CustomApis.NONE);
}
