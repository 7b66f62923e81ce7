package org.agentnet.ars;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.agentnet.aca.AgentIdentity;
import org.agentnet.common.text.Fields;

/**
 * One capability of an agent (draft 3.2.1 "description of core capabilities"; A2A AgentSkill):
 * discovery matches its id and tags, the text query its name, description and tags.
 */
public record AgentSkill(String id, String name, String description, List<String> tags) {

    public static final Pattern ID = AgentIdentity.SKILL;
    public static final int MAX_NAME = 128;
    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_TAGS = 16;
    public static final int MAX_TAG = 64;

    public AgentSkill {
        Fields.require(id != null && ID.matcher(id).matches(),
                "skill id '" + id + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        String field = "skill '" + id + "'";
        name = Fields.printable(field + " name", name, MAX_NAME);
        description = Fields.printable(field + " description", description, MAX_DESCRIPTION);
        tags = tags(field, tags);
    }

    private static List<String> tags(String field, List<String> tags) {
        if (tags == null) {
            return List.of();
        }
        Fields.require(tags.size() <= MAX_TAGS, field + " has more than " + MAX_TAGS + " tags");
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String tag : tags) {
            String clean = Fields.printable(field + " tag", tag, MAX_TAG);
            // a comma separates values of a discovery filter, so a tag cannot hold one
            Fields.require(clean.indexOf(',') < 0, field + " tag '" + clean + "' contains a comma");
            distinct.add(clean);
        }
        return List.copyOf(new ArrayList<>(distinct));
    }
}
