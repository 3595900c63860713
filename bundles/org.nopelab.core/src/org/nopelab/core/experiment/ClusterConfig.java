package org.nopelab.core.experiment;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The cluster section: how `nopelab sweep submit` asks Slurm for each cell. Defaults and docs in the schema; the
 * command line's --partition, --time, --cpus, --mem and --max-parallel override the file's values.
 */
public record ClusterConfig(String partition, String time, int cpus, String mem, @JsonProperty("max_parallel") int maxParallel) {
    public ClusterConfig with(String partition, String time, Integer cpus, String mem, Integer maxParallel) {
        return new ClusterConfig(partition != null ? partition : this.partition, time != null ? time : this.time,
                cpus != null ? cpus : this.cpus, mem != null ? mem : this.mem, maxParallel != null ? maxParallel : this.maxParallel);
    }
}
