package org.agentnet.agw.peering;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** The neighbor gateways of this node (table {@code agw_peer}). */
@Stateless
public class AgwPeers {

    @PersistenceContext(unitName = "agentnet")
    EntityManager em;

    public List<AgwPeer> all() {
        return em.createQuery("select p from AgwPeer p order by p.createdAt, p.id", AgwPeer.class).getResultList();
    }

    public Optional<AgwPeer> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(em.find(AgwPeer.class, id));
    }

    /** The peer, locked until the transaction ends. */
    public Optional<AgwPeer> findForUpdate(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(em.find(AgwPeer.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    public Optional<AgwPeer> byUrl(String url) {
        return em.createQuery("select p from AgwPeer p where p.url = :url", AgwPeer.class)
                .setParameter("url", url).getResultStream().findFirst();
    }

    public Optional<AgwPeer> byNodeId(String nodeId) {
        return em.createQuery("select p from AgwPeer p where p.nodeId = :node order by p.createdAt", AgwPeer.class)
                .setParameter("node", nodeId).getResultStream().findFirst();
    }

    public Optional<AgwPeer> byGatewayUri(String gatewayUri) {
        return em.createQuery("select p from AgwPeer p where p.gatewayUri = :uri order by p.createdAt", AgwPeer.class)
                .setParameter("uri", gatewayUri).getResultStream().findFirst();
    }

    public void add(AgwPeer peer) {
        em.persist(peer);
        em.flush();
    }

    public void remove(AgwPeer peer) {
        em.remove(peer);
        em.flush();
    }

    public void lock(AgwPeer peer) {
        em.refresh(peer, LockModeType.PESSIMISTIC_WRITE);
    }
}
