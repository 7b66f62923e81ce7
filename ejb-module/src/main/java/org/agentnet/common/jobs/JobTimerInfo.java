package org.agentnet.common.jobs;

import java.io.Serializable;
import java.time.Duration;

/** What a job's persistent timer remembers: the job and the interval it was created with. */
record JobTimerInfo(String jobName, long intervalSeconds) implements Serializable {

    Duration interval() {
        return Duration.ofSeconds(intervalSeconds);
    }
}
