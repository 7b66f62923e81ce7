package org.agentnet.web.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Field names of container elements and cascaded list elements: an earlier fieldOf named
 * container elements "tags.<list element>[1]" / "limits.<map value>[burst]" and puts the index of
 * a cascaded list element after the property inside it ("stops.city[1]" for stops[1].city).
 */
class ProblemExceptionMapperFieldPathTest {

    public static class Resource {
        public void create(@Valid Body body) {
        }
    }

    public static class Body {
        List<@NotBlank String> tags = List.of();
        Map<String, @Min(0) Integer> limits = Map.of();
        @Valid
        List<Stop> stops = List.of();
    }

    public static class Stop {
        @NotBlank
        String city;

        Stop(String city) {
            this.city = city;
        }
    }

    private static Problem problemFor(Body body) throws Exception {
        try (ValidatorFactory factory = Validation.buildDefaultValidatorFactory()) {
            Method create = Resource.class.getMethod("create", Body.class);
            var violations = factory.getValidator().forExecutables()
                    .validateParameters(new Resource(), create, new Object[] {body});
            return ProblemExceptionMapper.problemFor(new ConstraintViolationException(violations), "/x");
        }
    }

    @Test
    void listElementIsNamedByItsIndex() throws Exception {
        Body body = new Body();
        body.tags = List.of("ok", " ");
        assertEquals(List.of(new Problem.FieldError("tags[1]", "must not be blank")), problemFor(body).errors());
    }

    @Test
    void mapValueIsNamedByItsKey() throws Exception {
        Body body = new Body();
        body.limits = Map.of("burst", -1);
        assertEquals(List.of(new Problem.FieldError("limits[burst]", "must be greater than or equal to 0")),
                problemFor(body).errors());
    }

    @Test
    void cascadedListElementPutsTheIndexOnTheList() throws Exception {
        Body body = new Body();
        body.stops = List.of(new Stop("Bern"), new Stop(""));
        assertEquals(List.of(new Problem.FieldError("stops[1].city", "must not be blank")), problemFor(body).errors());
    }
}
