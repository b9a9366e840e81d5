package io.rewardannotator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/architecture.md, checked on the compiled production classes so that it cannot
 * erode: a package depends only on the packages below it (ground first), {@code streams} reaches scoring through
 * its interface and never the tokenizer or the model, and only {@code cli} may use {@code cli} or {@code devkit}.
 */
class LayeringTest {
    private static final String ROOT = "io.rewardannotator.";
    /**
     * Ground first: each package may use only the ones before it (and itself). {@code devkit} (demo and benchmark
     * helpers) comes after {@code app} so that only {@code cli} can use it; the second test keeps it out of the rest.
     */
    private static final List<String> LAYERS = List.of("event", "registry", "text", "model", "scoring", "streams",
            "replay", "app", "devkit", "cli");

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.rewardannotator");
    }

    @Test
    void shouldDependOnlyOnLowerLayers() {
        for (int i = 0; i < LAYERS.size(); i++) {
            String layer = LAYERS.get(i);
            String[] higher = LAYERS.subList(i + 1, LAYERS.size()).stream().map(p -> ROOT + p + "..")
                    .toArray(String[]::new);
            ArchRule rule = noClasses().that().resideInAPackage(ROOT + layer + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(higher)
                    .because(layer + " sits below " + String.join(", ", LAYERS.subList(i + 1, LAYERS.size())));
            rule.check(classes);
        }
    }

    @Test
    void shouldKeepCliAndDevkitOutOfProduction() {
        noClasses().that().resideOutsideOfPackages(ROOT + "cli..", ROOT + "devkit..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + "cli..", ROOT + "devkit..")
                .because("the demo and benchmark kit (devkit) and the commands (cli) are entry points, not libraries")
                .check(classes);
    }

    @Test
    void shouldReachTheModelOnlyThroughTheScorer() {
        noClasses().that().resideInAPackage(ROOT + "streams..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + "model..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + "text.LocalTokenizer")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + "text.ConversationEncoder")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + "text.ChatTemplate")
                .orShould().dependOnClassesThat().haveFullyQualifiedName(ROOT + "text.PaddedBatch")
                .because("streams talks to scoring through RewardScorer; tokenizing and batching are the scorer's")
                .check(classes);
    }
}
