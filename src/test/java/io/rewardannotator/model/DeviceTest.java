package io.rewardannotator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceTest {
    @Test
    void shouldParseCpuAndCudaDevices() {
        assertThat(Device.parse("cpu")).isEqualTo(Device.CPU);
        assertThat(Device.parse("CUDA")).isEqualTo(new Device(Device.Kind.CUDA, 0));
        assertThat(Device.parse("cuda:3")).hasToString("cuda:3");
    }

    @Test
    void shouldSayWhatIsAcceptedWhenDeviceIsInvalid() {
        assertThatThrownBy(() -> Device.parse("gpu0"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use cpu, cuda or cuda:N");
        assertThatThrownBy(() -> Device.parse("cuda:-1")).isInstanceOf(IllegalArgumentException.class);
    }
}
