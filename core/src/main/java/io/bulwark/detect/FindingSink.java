package io.bulwark.detect;

/** Where detectors put their findings; the engine decides what happens next. */
@FunctionalInterface
public interface FindingSink {
    void emit(Finding f);
}
