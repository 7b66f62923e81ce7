package org.agentnet.web.admin;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.agentnet.common.error.AgentnetException;
import org.agentnet.common.jobs.JobScheduler;
import org.agentnet.common.jobs.ScheduledJobRecord;
import org.agentnet.common.jobs.ScheduledJobRepository;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The node's scheduled jobs (persistent EJB timers): schedule, last outcome, run now. */
@Path("/v1/admin/jobs")
@Produces(MediaType.APPLICATION_JSON)
@RequestScoped
@RolesAllowed("admin")
@Tag(name = "operations")
@SecurityRequirement(name = "operator")
public class JobResource {

    public record JobView(String name, String interval, long fireCount, Instant nextRunAt, Instant lastStartedAt,
                          Instant lastFinishedAt, ScheduledJobRecord.Outcome lastOutcome, String lastError) {
        static JobView of(ScheduledJobRecord job, Instant nextRunAt) {
            return new JobView(job.name(), job.interval().toString(), job.fireCount(), nextRunAt,
                    job.lastStartedAt(), job.lastFinishedAt(), job.lastOutcome(), job.lastError());
        }
    }

    @EJB
    JobScheduler scheduler;

    @EJB
    ScheduledJobRepository jobs;

    @GET
    @Operation(summary = "All scheduled jobs with their next run and last outcome")
    public List<JobView> list() {
        Map<String, Instant> nextRuns = scheduler.nextRuns();
        return jobs.all().stream().map(job -> JobView.of(job, nextRuns.get(job.name()))).toList();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One scheduled job")
    public JobView get(@PathParam("name") String name) {
        ScheduledJobRecord job = jobs.find(name).orElseThrow(() -> AgentnetException.notFound("job", name));
        return JobView.of(job, scheduler.nextRuns().get(name));
    }

    @POST
    @Path("{name}/runs")
    @Operation(summary = "Run a job now, outside its schedule; answers with its record after the run")
    public JobView runNow(@PathParam("name") String name) {
        if (!scheduler.jobNames().contains(name)) {
            throw AgentnetException.notFound("job", name);
        }
        scheduler.runNow(name);
        return get(name);
    }
}
