package dev.dvemu.server.metadata;

/** One option of a Choice column: the integer stored and sent on the wire, and its label. */
public record ChoiceOption(int value, String label) {
}
