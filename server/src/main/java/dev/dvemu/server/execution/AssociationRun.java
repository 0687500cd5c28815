package dev.dvemu.server.execution;

import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.Relationship;
import dev.dvemu.plugin.Stage;

import java.util.List;

/**
 * An Associate or Disassociate of two rows of a many-to-many relationship with its steps, as Dataverse runs those
 * messages: {@code Target} is the row the request names, {@code Relationship} the relationship, {@code RelatedEntities}
 * the other row. PreValidation runs outside the transaction for a request's own operation outside a changeset; then
 * PreOperation, the link and PostOperation in one transaction.
 */
final class AssociationRun extends PipelineRun {
    private final WriteOperation op;

    AssociationRun(Executor executor, UnitOfWork unit, RequestOptions options, WriteOperation op, ExecutionContext parent) {
        super(executor, unit, options, parent, op instanceof WriteOperation.Associate ? Message.ASSOCIATE : Message.DISASSOCIATE);
        this.op = op;
    }

    @Override
    String primaryEntityName() {
        return StepRegistry.ANY_TABLE;
    }

    WriteResult run() {
        dev.dvemu.server.metadata.ManyToMany.Side side;
        java.util.UUID owner;
        java.util.UUID related;
        if (op instanceof WriteOperation.Associate a) {
            side = a.side();
            owner = a.owner();
            related = a.related();
        } else {
            WriteOperation.Disassociate d = (WriteOperation.Disassociate) op;
            side = d.side();
            owner = d.owner();
            related = d.related();
        }
        primaryId = owner;
        input.put("Target", new EntityReference(side.owner().logicalName(), owner));
        input.put("Relationship", new Relationship(side.navigation()));
        input.put("RelatedEntities", List.of(new EntityReference(side.related().logicalName(), related)));
        boolean preValidationOutside = !unit().inTransaction();
        if (preValidationOutside) {
            stage(Stage.PRE_VALIDATION, false);
        }
        return unit().inTransaction(() -> {
            if (!preValidationOutside) {
                stage(Stage.PRE_VALIDATION, true);
            }
            stage(Stage.PRE_OPERATION, true);
            WriteResult result = executor().perform(unit(), op);
            stage(Stage.POST_OPERATION, true);
            return result;
        });
    }
}
