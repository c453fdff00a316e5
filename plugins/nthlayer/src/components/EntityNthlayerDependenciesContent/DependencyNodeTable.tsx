import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  DependencyGraphNode,
  EntityDependenciesResponse,
} from '@nthlayer/backstage-plugin-common';
import { useMemo } from 'react';
import { EntityNameLink } from '../shared/EntityNameLink';
import { EntityBudgetStatus } from '../shared/PortfolioStatusChip';
import { entityName, formatTier } from '../shared/scoreFormat';
import { nodeStatusKey } from './DependencyGraphView';
import {
  EDGE_SOURCE_LABELS,
  NodeRelation,
  nodeRelations,
  sortedNodes,
} from './graphModel';

function Relation(props: { node: DependencyGraphNode; relation?: NodeRelation }) {
  const { relation } = props;
  if (!relation) return <>—</>;
  if (!relation.edge) return <>this entity</>;
  const { edge } = relation;
  return (
    <>
      <span data-testid="nthlayer-dependency-source">
        {EDGE_SOURCE_LABELS[edge.source]}
      </span>
      <Typography
        variant="caption"
        color="textSecondary"
        component="div"
        data-testid="nthlayer-dependency-path"
      >
        {entityName(edge.from)} → {entityName(edge.to)}
      </Typography>
    </>
  );
}

/**
 * Every node of the graph in a table — the entity first, then by distance and name — with
 * kind, tier, budget status, owner and how it is linked: declared, discovered, or both, by
 * which edge.
 */
export function DependencyNodeTable(props: {
  response: EntityDependenciesResponse;
}) {
  const { response } = props;
  const relations = useMemo(
    () => nodeRelations(response.entityRef, response.edges),
    [response],
  );
  const nodes = useMemo(
    () => sortedNodes(response.entityRef, response.nodes, relations),
    [response, relations],
  );
  return (
    <Table size="small" data-testid="nthlayer-dependency-table" aria-label="Entities of the graph">
      <TableHead>
        <TableRow>
          <TableCell>Entity</TableCell>
          <TableCell>Kind</TableCell>
          <TableCell>Tier</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Owner</TableCell>
          <TableCell>Dependency</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {nodes.map(node => {
          const relation = relations.get(node.entityRef);
          return (
            <TableRow
              key={node.entityRef}
              data-testid="nthlayer-dependency-row"
              data-entity-ref={node.entityRef}
              data-source={
                relation?.edge?.source ?? (relation ? 'root' : 'unlinked')
              }
            >
              <TableCell data-testid="nthlayer-dependency-name">
                {node.missing ? (
                  <span title={node.entityRef}>{node.name}</span>
                ) : (
                  <EntityNameLink entityRef={node.entityRef} text={node.name} />
                )}
              </TableCell>
              <TableCell>{node.kind.toLocaleLowerCase('en-US')}</TableCell>
              <TableCell data-testid="nthlayer-dependency-tier-cell">
                {formatTier(node.tier)}
              </TableCell>
              <TableCell
                data-testid="nthlayer-dependency-status"
                data-status={nodeStatusKey(node)}
              >
                <EntityBudgetStatus status={node.status} missing={node.missing} />
              </TableCell>
              <TableCell>
                {node.owner ? <EntityNameLink entityRef={node.owner} /> : '—'}
              </TableCell>
              <TableCell data-testid="nthlayer-dependency-relation">
                <Relation node={node} relation={relation} />
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
