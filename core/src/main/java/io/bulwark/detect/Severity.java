package io.bulwark.detect;

/** How urgently an operator should act. Serialised lower-case. */
public enum Severity { low, medium, high, critical }
