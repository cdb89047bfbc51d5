package io.bulwark.app.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bulwark.incident.Timestamps;

/** The one JSON configuration every NDJSON writer uses, and the timestamp format of the contract. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private Json() {
    }

    /** The contract's timestamp ({@link Timestamps#rfc3339}). */
    public static String time(long nanos) {
        return Timestamps.rfc3339(nanos);
    }
}
