package io.selftrain.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.selftrain.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResultJsonTest {
  private static PseudoSummary pseudo(int kept) {
    return new PseudoSummary() {
      @Override
      public int pool() {
        return 10;
      }

      @Override
      public int kept() {
        return kept;
      }

      @Override
      public double meanConfidence() {
        return 0.75;
      }

      @Override
      public Map<String, Object> asMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("kept", kept);
        map.put("meanConfidence", 0.75);
        return map;
      }
    };
  }

  @Test
  void of_twoRoundsAndControl_theDocumentedFields() {
    SelfTrainingResult result =
        new SelfTrainingResult(
            "classification",
            7,
            Map.of("rounds", "2", "seed", "7"),
            List.of(
                new RoundResult(1, Metrics.of("top1", 0.5), Metrics.of("top1", 0.625), pseudo(8)),
                new RoundResult(2, Metrics.of("top1", 0.625), Metrics.of("top1", 0.75), pseudo(9))),
            Optional.of(Metrics.of("top1", 0.6)),
            12.5);
    JsonObject expected =
        JsonParser.parseString(
                "{\"task\": \"classification\", \"seed\": 7, \"settings\": {\"rounds\": \"2\", \"seed\": \"7\"},"
                    + " \"rounds\": ["
                    + "{\"round\": 1, \"teacher\": {\"top1\": 0.5}, \"student\": {\"top1\": 0.625}, \"pseudo\": {\"kept\": 8, \"meanConfidence\": 0.75}},"
                    + "{\"round\": 2, \"teacher\": {\"top1\": 0.625}, \"student\": {\"top1\": 0.75}, \"pseudo\": {\"kept\": 9, \"meanConfidence\": 0.75}}],"
                    + " \"control\": {\"top1\": 0.6}, \"wallSeconds\": 12.5}")
            .getAsJsonObject();
    JsonObject json = ResultJson.of(result);
    assertThat(json).isEqualTo(expected);
    // and the text reads back to the same object
    assertThat(JsonParser.parseString(ResultJson.toText(json))).isEqualTo(expected);
  }

  @Test
  void of_withoutControl_controlIsNull() {
    SelfTrainingResult result =
        new SelfTrainingResult("detection", 0, Map.of(), List.of(), Optional.empty(), 1.0);
    JsonObject json = ResultJson.of(result);
    assertThat(json.has("control")).isTrue();
    assertThat(json.get("control").isJsonNull()).isTrue();
    assertThat(json.getAsJsonArray("rounds")).isEmpty();
  }
}
