package io.bulwark.app.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Markings.of on single objects; TaxiiTlpTest runs the same cases through the TAXII server. */
class MarkingsTest {
    static final String WHITE1 = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    static final String AMBER1 = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    static final String RED1 = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

    static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s.replace('\'', '"'));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "RED          | {}",
        "RED          | {'object_marking_refs': []}",
        "RED          | {'object_marking_refs': 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'}",
        "RED          | {'object_marking_refs': [null]}",
        "RED          | {'object_marking_refs': ['marking-definition--00000000-0000-4000-8000-000000000000']}",
        "CLEAR        | {'object_marking_refs': ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9']}",
        "GREEN        | {'object_marking_refs': ['marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da']}",
        "AMBER        | {'object_marking_refs': ['marking-definition--f88d31f6-486f-44da-b317-01333bde0b82']}",
        "RED          | {'object_marking_refs': ['marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed']}",
        "CLEAR        | {'object_marking_refs': ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487']}",
        "AMBER_STRICT | {'object_marking_refs': ['marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',"
                + " 'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da']}",
        "RED          | {'object_marking_refs': ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],"
                + " 'granular_markings': [{'marking_ref': 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',"
                + " 'selectors': ['description']}]}",
        "CLEAR        | {'object_marking_refs': ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],"
                + " 'granular_markings': [{'lang': 'de', 'selectors': ['name']}]}",
        "RED          | {'object_marking_refs': ['marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487'],"
                + " 'granular_markings': {}}",
        "RED          | {'granular_markings': [{'marking_ref': 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',"
                + " 'selectors': ['name']}]}",
    })
    void of_mostRestrictiveMarkingWins_unknownOrMissingIsRed(Tlp expected, String object) throws Exception {
        assertThat(Markings.of(json(object))).isEqualTo(expected);
    }

    @Test
    void tlpDefinitions_asPublished_areClear_anythingAddedIsNot() throws Exception {
        for (String id : new String[] {WHITE1, AMBER1, RED1, Tlp.RED.stixId(), Tlp.AMBER_STRICT.stixId()}) {
            ObjectNode d = Markings.definition(id).orElseThrow();
            assertThat(Markings.of(d)).as(id).isEqualTo(Tlp.CLEAR);
            assertThat(Markings.contradiction(d)).as(id).isEmpty();
            d.put("description", "anything riding along");
            assertThat(Markings.of(d)).as(id).isEqualTo(Tlp.RED); // unmarked partner content now
        }
        assertThat(Markings.definition(RED1).orElseThrow().toString()).isEqualTo(("{'type':'marking-definition',"
                + "'spec_version':'2.1','id':'" + RED1 + "','created':'2017-01-20T00:00:00.000Z','definition_type':'tlp',"
                + "'name':'TLP:RED','definition':{'tlp':'red'}}").replace('\'', '"'));
        assertThat(Markings.definition(WHITE1).orElseThrow().get("name").asText()).isEqualTo("TLP:WHITE");
        assertThat(Markings.contradiction(json("{'id': '" + AMBER1 + "', 'definition': {'tlp': 'white'}}")))
                .contains(Tlp.CLEAR);
        assertThat(Markings.contradiction(json("{'id': '" + AMBER1 + "', 'name': 'TLP:PURPLE'}"))).contains(Tlp.RED);
        assertThat(Markings.level("marking-definition--00000000-0000-4000-8000-000000000000")).isEmpty();
    }
}
