package org.agentnet.bench.ars;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.agentnet.ars.Agent;
import org.agentnet.ars.AgentIndex;
import org.agentnet.ars.AgentStatus;
import org.agentnet.ars.DiscoveryQuery;
import org.agentnet.ars.ProfileJson;

/**
 * The discovery index alone, in this JVM: the benchmark's agents (the same {@link ArsCorpus}) loaded
 * into an {@link AgentIndex}, then each query kind of {@code ArsDiscoverySimulation} run single-threaded
 * for a few seconds, with and without rendering the page as the REST resource does (ProfileJson.discoveryPage). It splits the
 * cost of a discovery request into index work, rendering, and the rest (HTTP, TLS, the client's
 * certificate check), which the Gatling rows cannot. Usage:
 * {@code java -cp ... org.agentnet.bench.ars.ArsIndexMeasurement [agents=100000] [seconds=3]}
 */
public final class ArsIndexMeasurement {

    private ArsIndexMeasurement() {
    }

    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ArsCorpus corpus = new ArsCorpus(ArsCorpus.DEFAULT_SEED);
        Instant now = Instant.now();
        List<Agent> agents = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            ArsCorpus.LoadedAgent loaded = corpus.agent(i);
            agents.add(new Agent(loaded.id(), loaded.originNode(), false, loaded.domain(), loaded.agentUri(),
                    loaded.online() ? AgentStatus.ONLINE : AgentStatus.OFFLINE, null, loaded.profile(),
                    loaded.gatewayAddress(), now, now, 1));
        }
        System.gc();
        long before = usedHeap();
        AgentIndex index = new AgentIndex();
        long started = System.nanoTime();
        index.load(agents);
        long loadMillis = (System.nanoTime() - started) / 1_000_000;
        System.gc();
        long indexBytes = usedHeap() - before;
        System.out.printf("agents %d, index load %d ms, index heap (without the agents themselves) %.1f MB, %.0f bytes/agent%n",
                size, loadMillis, indexBytes / 1e6, (double) indexBytes / size);

        Map<String, IntFunction<DiscoveryQuery>> kinds = new LinkedHashMap<>();
        List<String> common = corpus.commonSkills();
        List<String> rare = corpus.rareTags();
        List<String> text = corpus.textQueries();
        kinds.put("capability=<common skill>", i -> query(List.of(common.get(i % common.size())), List.of(), List.of(), null));
        kinds.put("capability=<rare tag>&protocol=HTTP&language=en",
                i -> query(List.of(rare.get(i % rare.size())), List.of("HTTP"), List.of("en"), null));
        kinds.put("q=<two words>", i -> query(List.of(), List.of(), List.of(), text.get(i % text.size())));
        for (Map.Entry<String, IntFunction<DiscoveryQuery>> kind : kinds.entrySet()) {
            for (boolean render : new boolean[] {false, true}) {
                measure(index, kind.getKey(), kind.getValue(), render, 1);
                double[] rate = measure(index, kind.getKey(), kind.getValue(), render, seconds);
                System.out.printf("%-50s %-10s %10.0f queries/s  %8.1f us/query  %8.1f us CPU/query%n", kind.getKey(),
                        render ? "rendered" : "index", rate[0], 1e6 / rate[0], rate[1]);
            }
        }
    }

    private static DiscoveryQuery query(List<String> capability, List<String> protocol, List<String> language, String q) {
        return DiscoveryQuery.parse(capability, protocol, language, List.of(), List.of(), q);
    }

    /** Queries per second (wall clock) and the thread's CPU time per query in microseconds (on a busy machine the latter is the steadier). */
    private static double[] measure(AgentIndex index, String name, IntFunction<DiscoveryQuery> queries, boolean render,
                                    int seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long count = 0;
        long sink = 0;
        long started = System.nanoTime();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        while (System.nanoTime() < end) {
            DiscoveryQuery query = queries.apply((int) count);
            AgentIndex.Page page = index.search(query, AgentIndex.Position.START, DiscoveryQuery.DEFAULT_LIMIT);
            if (page.hits().isEmpty()) {
                throw new IllegalStateException(name + " found nothing");
            }
            if (render) {
                sink += ProfileJson.discoveryPage(page.hits(), query.ranked(), null).length;
            } else {
                sink += page.hits().size();
            }
            count++;
        }
        if (sink == 0) {
            throw new IllegalStateException("nothing measured");
        }
        double cpuMicros = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1e3 / count;
        return new double[] {count / ((System.nanoTime() - started) / 1e9), cpuMicros};
    }

    private static long usedHeap() {
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
