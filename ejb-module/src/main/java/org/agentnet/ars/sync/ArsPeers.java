package org.agentnet.ars.sync;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** The ARSs this node synchronizes with (table {@code ars_peer}). */
@Stateless
public class ArsPeers {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public List<ArsPeer> all() {
        return em.createQuery("select p from ArsPeer p order by p.createdAt, p.id", ArsPeer.class).getResultList();
    }

    public Optional<ArsPeer> find(String id) {
        return Optional.ofNullable(em.find(ArsPeer.class, id));
    }

    /** The peer, locked until the transaction ends: pulls of one peer take turns. */
    public Optional<ArsPeer> findForUpdate(String id) {
        return Optional.ofNullable(em.find(ArsPeer.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<ArsPeer> byUrl(String url) {
        return em.createQuery("select p from ArsPeer p where p.url = :url", ArsPeer.class)
                .setParameter("url", url).getResultStream().findFirst();
    }

    public List<ArsPeer> byNodeId(String nodeId) {
        return em.createQuery("select p from ArsPeer p where p.nodeId = :node", ArsPeer.class)
                .setParameter("node", nodeId).getResultList();
    }

    public void add(ArsPeer peer) {
        em.persist(peer);
        em.flush();
    }

    public void remove(ArsPeer peer) {
        em.remove(peer);
    }
}
