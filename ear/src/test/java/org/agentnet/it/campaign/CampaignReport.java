package org.agentnet.it.campaign;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of the campaign: per endpoint and per family of mutation, by outcome class; and the findings. */
final class CampaignReport {

    static final List<String> OUTCOMES = List.of("2xx", "3xx", "4xx", "4xx-channel", "4xx-uri", "5xx", "5xx-liberty", "no-answer");

    private final Map<String, Map<String, AtomicLong>> byEndpoint = new ConcurrentHashMap<>();
    private final Map<String, Map<String, AtomicLong>> byFamily = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> byStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> refusedBeforeTheApplication = new ConcurrentHashMap<>();
    private final List<String> findings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong total = new AtomicLong();

    void record(Corpus.Case c, RawHttp.Request request, RawHttp.Response response, List<String> violations) {
        String outcome = Verdicts.isKnownLibertyDefect(request, response) ? "5xx-liberty" : Verdicts.outcome(response);
        count(byEndpoint, c.endpoint(), outcome);
        count(byFamily, c.family().replaceFirst("/.*", "") + "/" + c.family().replaceFirst("^[^/]*/?", ""), outcome);
        byStatus.computeIfAbsent(response.status(), s -> new AtomicLong()).incrementAndGet();
        if (outcome.equals("4xx-channel") || outcome.equals("4xx-uri") || outcome.equals("5xx-liberty")) {
            refusedBeforeTheApplication.computeIfAbsent(outcome + " " + response.status() + " " + c.family() + ": "
                    + c.label().replaceAll("^\\w+ = ", ""), k -> new AtomicLong()).incrementAndGet();
        }
        total.incrementAndGet();
        for (String violation : violations) {
            findings.add(c.endpoint() + " [" + c.family() + ": " + c.label() + "] " + request.describe() + " -> " + violation);
        }
    }

    private static void count(Map<String, Map<String, AtomicLong>> table, String row, String outcome) {
        table.computeIfAbsent(row, r -> new ConcurrentHashMap<>()).computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
    }

    long total() {
        return total.get();
    }

    List<String> findings() {
        synchronized (findings) {
            return List.copyOf(findings);
        }
    }

    long count(String outcome) {
        return byEndpoint.values().stream().mapToLong(row -> row.getOrDefault(outcome, new AtomicLong()).get()).sum();
    }

    String render(String title) {
        StringBuilder out = new StringBuilder();
        out.append("\n==== ").append(title).append(" ====\n");
        table(out, "endpoint", byEndpoint);
        table(out, "mutation family", byFamily);
        out.append("\nby HTTP status: ").append(new TreeMap<>(byStatus)).append('\n');
        out.append("\nanswered before the application (Liberty's HTTP channel or web container: empty body; URI refusal CWWWC0005I;"
                + " the charset=\\\" defect):\n");
        new TreeMap<>(refusedBeforeTheApplication).forEach((what, n) -> out.append(String.format("%6d  %s%n", n.get(), what)));
        out.append("TOTAL ").append(total.get()).append(" requests:");
        for (String outcome : OUTCOMES) {
            out.append(' ').append(outcome).append('=').append(count(outcome));
        }
        out.append("; findings=").append(findings.size()).append('\n');
        return out.toString();
    }

    private static void table(StringBuilder out, String title, Map<String, Map<String, AtomicLong>> table) {
        out.append(String.format("%n%-62s %7s", title, "total"));
        OUTCOMES.forEach(o -> out.append(String.format(" %11s", o)));
        out.append('\n');
        for (Map.Entry<String, Map<String, AtomicLong>> row : new TreeMap<>(table).entrySet()) {
            long sum = row.getValue().values().stream().mapToLong(AtomicLong::get).sum();
            out.append(String.format("%-62s %7d", row.getKey(), sum));
            OUTCOMES.forEach(o -> out.append(String.format(" %11d", row.getValue().getOrDefault(o, new AtomicLong()).get())));
            out.append('\n');
        }
    }
}
