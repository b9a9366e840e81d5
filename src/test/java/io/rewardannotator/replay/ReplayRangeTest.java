package io.rewardannotator.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.replay.ReplayRange.AtOffsets;
import io.rewardannotator.replay.ReplayRange.AtTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayRangeTest {
    private static final Instant MAY_FIRST = Instant.parse("2024-05-01T12:00:00Z");

    @Test
    void shouldParseAnIsoInstantWithZoneOrOffset() {
        assertThat(ReplayRange.parse("2024-05-01T12:00:00Z", null).from()).isEqualTo(new AtTime(MAY_FIRST));
        assertThat(ReplayRange.parse("2024-05-01T14:00:00+02:00", null).from()).isEqualTo(new AtTime(MAY_FIRST));
        assertThat(ReplayRange.parse("2024-05-01T12:00:00.250Z", null).from())
                .isEqualTo(new AtTime(MAY_FIRST.plusMillis(250)));
    }

    @Test
    void shouldParseEpochMillisForBothEnds() {
        ReplayRange range = ReplayRange.parse("1714564800000", "1714564860000");

        assertThat(range.from()).isEqualTo(new AtTime(MAY_FIRST));
        assertThat(range.to()).isEqualTo(MAY_FIRST.plusSeconds(60));
    }

    @Test
    void shouldLeaveTheEndOpenWithoutTo() {
        assertThat(ReplayRange.parse("0", null).to()).isNull();
    }

    @Test
    void shouldParseOffsetsPerPartition() {
        ReplayRange range = ReplayRange.parse("0:100, 1:250,2:0", "2024-05-01T12:00:00Z");

        assertThat(range.from()).isEqualTo(new AtOffsets(Map.of(0, 100L, 1, 250L, 2, 0L)));
        assertThat(range.to()).isEqualTo(MAY_FIRST);
    }

    @Test
    void shouldAcceptAnEmptyRangeWhenToEqualsFrom() {
        ReplayRange range = ReplayRange.parse("1714564800000", "2024-05-01T12:00:00Z");

        assertThat(range.to()).isEqualTo(((AtTime) range.from()).time());
    }

    @Test
    void shouldRejectToBeforeFrom() {
        assertThatThrownBy(() -> ReplayRange.parse("2024-05-01T12:00:00Z", "2024-05-01T11:59:59Z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--to 2024-05-01T11:59:59Z is before --from 2024-05-01T12:00:00Z");
    }

    @Test
    void shouldRejectAnUnparseableFromNamingTheFlagAndTheAcceptedForms() {
        assertThatThrownBy(() -> ReplayRange.parse("yesterday", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--from 'yesterday' is not a time")
                .hasMessageContaining("ISO-8601")
                .hasMessageContaining("0:100,1:250");
    }

    @Test
    void shouldRejectAnUnparseableTo() {
        assertThatThrownBy(() -> ReplayRange.parse("0", "2024-13-01T00:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--to '2024-13-01T00:00:00Z' is not a time");
        assertThatThrownBy(() -> ReplayRange.parse("0", "0:5"))
                .hasMessageStartingWith("--to '0:5' is not a time");
    }

    @Test
    void shouldRejectMalformedOffsets() {
        assertThatThrownBy(() -> ReplayRange.parse("0:100,1:", null)).hasMessageContaining("--from '0:100,1:'");
        assertThatThrownBy(() -> ReplayRange.parse("0:-1", null)).hasMessageContaining("is not a time");
        assertThatThrownBy(() -> ReplayRange.parse("0:99999999999999999999", null))
                .hasMessageContaining("not partition:offset");
        assertThatThrownBy(() -> ReplayRange.parse("1:5,1:6", null)).hasMessageContaining("lists partition 1 twice");
    }
}
