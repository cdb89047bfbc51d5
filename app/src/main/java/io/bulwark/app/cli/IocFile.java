package io.bulwark.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.output.Json;
import io.bulwark.detect.ioc.IocList;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an indicator list for {@code analyze --ioc} and the config key {@code ioc_file}: a STIX
 * 2.1 bundle (JSON starting with '{': the {@code pattern} of every {@code indicator} object
 * whose pattern_type is stix, labelled with the indicator's id), or a plain-text list (one
 * address, domain, URL or STIX pattern per line, {@code #} comments; labelled with the file
 * name). What the list cannot use is counted in {@link IocList#ignored()}, not an error.
 */
final class IocFile {
    private IocFile() {
    }

    static IocList load(Path path) throws IOException {
        String text;
        try {
            // An indicator list of a million lines is some tens of MiB; /dev/zero is refused.
            text = new String(io.bulwark.app.TextFiles.readBounded(path, 256L << 20), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(path + ": cannot read indicator list: " + e.getMessage());
        }
        if (!text.stripLeading().startsWith("{")) {
            return IocList.fromText(text.lines().toList(), path.getFileName().toString());
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IOException(path + ": not a STIX bundle: " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<Map.Entry<String, String>> patterns = new ArrayList<>();
        for (JsonNode o : root.path("objects")) {
            if ("indicator".equals(o.path("type").asText()) && o.path("pattern").isTextual()
                    && "stix".equals(o.path("pattern_type").asText("stix"))) {
                patterns.add(Map.entry(o.path("id").asText(""), o.get("pattern").asText()));
            }
        }
        return IocList.fromStixPatterns(patterns);
    }
}
