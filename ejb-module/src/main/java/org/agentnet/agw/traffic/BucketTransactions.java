package org.agentnet.agw.traffic;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * The transactions of the shared token buckets: always their own, never the request's (a refused
 * or failed request must not undo what it consumed, and a bucket's row must not stay locked while
 * a request goes on). A synchronization round is one transaction for all its buckets.
 */
@Stateless
@LocalBean
public class BucketTransactions {

    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void run(Runnable work) {
        work.run();
    }
}
