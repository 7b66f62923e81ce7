package org.agentnet.agw.policy;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.agentnet.common.config.NodeSettings;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.error.ProblemType;
import org.agentnet.common.text.Fields;

/**
 * The operators' side of access control: policies and peering agreements in the database. Every
 * change increments the change counter ({@code agw_policy_state}) in its transaction and fires
 * {@link PoliciesChanged}, so that this node reloads at once and the others at their next check.
 * The counter row is locked first, which also makes concurrent changes take turns.
 */
@Stateless
@LocalBean
public class PolicyStore {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    @Inject
    Event<PoliciesChanged> changed;

    @Inject
    PolicySettings settings;

    @Inject
    NodeSettings node;

    @Inject
    Clock clock;

    /** Policies by name, after {@code afterName}, at most {@code limit}. */
    public List<AccessPolicy> list(String afterName, int limit) {
        return em.createQuery("select p from AccessPolicy p where p.name > :after order by p.name", AccessPolicy.class)
                .setParameter("after", afterName == null ? "" : afterName).setMaxResults(limit).getResultList();
    }

    public AccessPolicy get(String id) {
        return find(id).orElseThrow(() -> AgentnetException.notFound("policy", id));
    }

    private Optional<AccessPolicy> find(String id) {
        if (id == null || id.length() > 36) {
            return Optional.empty();
        }
        return Optional.ofNullable(em.find(AccessPolicy.class, id));
    }

    public AccessPolicy create(PolicyDocument document, String actor) {
        lockCounter();
        long count = em.createQuery("select count(p) from AccessPolicy p", Long.class).getSingleResult();
        if (count >= settings.maxPolicies()) {
            throw new AgentnetException(ProblemType.CONFLICT, "this node holds at most " + settings.maxPolicies()
                    + " policies (agentnet.agw.policy.max-policies)");
        }
        requireFreeName(document.name(), null);
        AccessPolicy policy = new AccessPolicy(document, actor, clock.instant());
        em.persist(policy);
        committed("policy " + policy.name() + " created");
        return policy;
    }

    /**
     * Replaces a policy's content. {@code expectedVersion} (from If-Match) must be its current
     * revision when given: 412 otherwise.
     */
    public AccessPolicy replace(String id, Long expectedVersion, PolicyDocument document, String actor) {
        lockCounter();
        AccessPolicy policy = get(id);
        if (expectedVersion != null && expectedVersion != policy.version()) {
            throw new AgentnetException(ProblemType.PRECONDITION_FAILED, "policy " + id + " is at revision " + policy.version()
                    + ", not " + expectedVersion + ": read it again");
        }
        requireFreeName(document.name(), id);
        policy.write(document, actor, clock.instant());
        committed("policy " + policy.name() + " replaced");
        return policy;
    }

    public void delete(String id, Long expectedVersion) {
        lockCounter();
        AccessPolicy policy = get(id);
        if (expectedVersion != null && expectedVersion != policy.version()) {
            throw new AgentnetException(ProblemType.PRECONDITION_FAILED, "policy " + id + " is at revision " + policy.version()
                    + ", not " + expectedVersion);
        }
        em.remove(policy);
        committed("policy " + policy.name() + " deleted");
    }

    public List<AccessPolicy> all() {
        return em.createQuery("select p from AccessPolicy p order by p.name", AccessPolicy.class).getResultList();
    }

    public List<PeerAgreement> agreements() {
        return em.createQuery("select a from PeerAgreement a order by a.domain", PeerAgreement.class).getResultList();
    }

    public Optional<PeerAgreement> agreement(String domain) {
        return Optional.ofNullable(em.find(PeerAgreement.class, checkedDomain(domain)));
    }

    /** Sets what the peering agreement with a domain admits (created or replaced). */
    public PeerAgreement setAgreement(String domain, boolean discovery, boolean messaging, String actor) {
        String checked = checkedDomain(domain);
        Fields.require(!checked.equals(node.domainName()), "this node's own domain needs no peering agreement");
        lockCounter();
        PeerAgreement agreement = em.find(PeerAgreement.class, checked);
        if (agreement == null) {
            agreement = new PeerAgreement(checked);
            agreement.set(discovery, messaging, actor, clock.instant());
            em.persist(agreement);
        } else {
            agreement.set(discovery, messaging, actor, clock.instant());
        }
        committed("peering agreement with " + checked + " set");
        return agreement;
    }

    /** Forgets the operator's setting for a domain: the default applies again. */
    public void removeAgreement(String domain) {
        String checked = checkedDomain(domain);
        lockCounter();
        PeerAgreement agreement = em.find(PeerAgreement.class, checked);
        if (agreement == null) {
            throw AgentnetException.notFound("peering agreement", checked);
        }
        em.remove(agreement);
        committed("peering agreement with " + checked + " removed");
    }

    /** The change counter (one row, one column). */
    public long changes() {
        return em.find(PolicyState.class, PolicyState.ROW).changes();
    }

    static String checkedDomain(String domain) {
        String lower = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        Fields.require(NodeSettings.DNS_NAME.matcher(lower).matches(), "'" + (lower.length() > 64 ? lower.substring(0, 64) + "..." : lower)
                + "' is not a domain (a DNS name)");
        return lower;
    }

    private void requireFreeName(String name, String exceptId) {
        List<String> holders = em.createQuery("select p.id from AccessPolicy p where p.name = :name", String.class)
                .setParameter("name", name).getResultList();
        if (holders.stream().anyMatch(id -> !id.equals(exceptId))) {
            throw new AgentnetException(ProblemType.CONFLICT, "a policy named '" + name + "' exists already");
        }
    }

    private void lockCounter() {
        em.find(PolicyState.class, PolicyState.ROW, LockModeType.PESSIMISTIC_WRITE);
    }

    private void committed(String what) {
        em.find(PolicyState.class, PolicyState.ROW).increment(); // locked by lockCounter, in this transaction
        try {
            em.flush(); // a name taken meanwhile by another node fails here (unique), as a 409, not at commit
        } catch (PersistenceException e) {
            throw new AgentnetException(ProblemType.CONFLICT, "the policy changed concurrently; try again", e);
        }
        changed.fire(new PoliciesChanged(what));
    }
}
