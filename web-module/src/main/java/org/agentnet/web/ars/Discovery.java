package org.agentnet.web.ars;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.agentnet.agw.policy.AccessPolicies;
import org.agentnet.agw.traffic.TrafficControl;
import org.agentnet.agw.traffic.TrafficGate;
import org.agentnet.ars.AgentDirectory;
import org.agentnet.ars.AgentIndex;
import org.agentnet.ars.DiscoveryQuery;
import org.agentnet.ars.ProfileJson;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.web.Cursor;
import org.agentnet.web.security.Callers;

/**
 * One discovery request (draft 3.2.3, docs/ars.md "Discovery"), once its parameters are within
 * their limits: the caller (certificate checked), traffic control, the query, the cursor, the access
 * policies, the index, the page. {@link AgentResource#discover} and its lean path
 * {@link DiscoveryFilter} both answer with this, so that they check the same things in the same order.
 */
@ApplicationScoped
public class Discovery {

    /** The page (UTF-8 JSON) and the admission of traffic control (its quota goes into the RateLimit headers). */
    public record Answer(byte[] page, TrafficControl.Admission admission) {
    }

    @EJB
    AgentDirectory directory;

    /** The index's plain search, asked of the bean once (no EJB call per query). */
    private AgentDirectory.Searcher searcher;

    @Inject
    Callers callers;

    @Inject
    TrafficGate traffic;

    @Inject
    AccessPolicies policies;

    @PostConstruct
    void init() {
        searcher = directory.searcher();
    }

    public Answer answer(HttpServletRequest request, List<String> capability, List<String> protocol, List<String> language,
                         List<String> domain, List<String> status, String q, int limit, String cursor) {
        var caller = callers.holderOrOperator(request);
        TrafficControl.Admission admission = traffic.admit(TrafficControl.Kind.DISCOVERY, caller);
        DiscoveryQuery query = DiscoveryQuery.parse(capability, protocol, language, domain, status, q);
        String key = Integer.toHexString(query.key().hashCode());
        AgentIndex.Position after = position(cursor, key);
        // access control: 403 for a query of only what is denied; else narrowed to the visible domains or filtered
        AccessPolicies.DiscoveryScope scope = policies.discovery(caller, query);
        AgentIndex.Page page = scope.nothing() ? new AgentIndex.Page(List.of(), null)
                : searcher.search(scope.query(), after, limit, scope.filter());
        scope.answered();
        String next = page.next() == null ? null
                : Cursor.encode(key, Double.toString(page.next().score()), page.next().id());
        return new Answer(ProfileJson.discoveryPage(page.hits(), query.ranked(), next), admission);
    }

    /** Where a page starts: after the cursor's position, which must come from the same query. */
    private static AgentIndex.Position position(String cursor, String key) {
        if (cursor == null) {
            return AgentIndex.Position.START;
        }
        String[] position = Cursor.decode(cursor, 3);
        if (!position[0].equals(key)) {
            throw new AgentnetException(ProblemType.VALIDATION_FAILED, "the cursor belongs to another query");
        }
        try {
            return new AgentIndex.Position(Double.parseDouble(position[1]), position[2]);
        } catch (NumberFormatException e) {
            throw Cursor.invalid();
        }
    }
}
