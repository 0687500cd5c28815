package dev.dvemu.server.execution;

import dev.dvemu.plugin.EntityReference;
import dev.dvemu.plugin.Message;
import dev.dvemu.plugin.Relationship;

import java.util.List;

/**
 * An Associate or Disassociate of two rows of a many-to-many relationship with its steps, as Dataverse runs those
 * messages: {@code Target} is the row the request names, {@code Relationship} the relationship, {@code RelatedEntities}
 * the other row. PreValidation runs outside the transaction for a request's own operation outside a changeset; then
 * PreOperation, the link and PostOperation in one transaction.
 */
final class AssociationRun extends PipelineRun {
    private final WriteOperation.Link op;

    AssociationRun(Executor executor, UnitOfWork unit, RequestOptions options, WriteOperation.Link op, ExecutionContext parent) {
        super(executor, unit, options, parent, op instanceof WriteOperation.Associate ? Message.ASSOCIATE : Message.DISASSOCIATE);
        this.op = op;
    }

    @Override
    String primaryEntityName() {
        return StepRegistry.ANY_TABLE;
    }

    WriteResult run() {
        primaryId = op.owner();
        input.put("Target", new EntityReference(op.side().owner().logicalName(), op.owner()));
        input.put("Relationship", new Relationship(op.side().navigation()));
        input.put("RelatedEntities", List.of(new EntityReference(op.side().related().logicalName(), op.related())));
        return runStages(() -> executor().perform(unit(), op), result -> result);
    }
}
