package io.bulwark.decode.export;

/** Receives decoded export records. The record object is reused: copy what you keep. */
@FunctionalInterface
public interface ExportSink {
    void flow(ExportedFlow f);
}
