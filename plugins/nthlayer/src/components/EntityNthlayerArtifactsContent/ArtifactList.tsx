import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import { ArtifactSummary } from '@nthlayer/backstage-plugin-common';

/** Human name of an artifact kind. */
export const ARTIFACT_KIND_TITLES: Record<string, string> = {
  'prometheus-rules': 'Prometheus SLO rules',
  'technology-alerts': 'Technology alerts',
  openslo: 'OpenSLO',
  'grafana-dashboard': 'Grafana dashboard',
  pagerduty: 'PagerDuty',
};

/** The generated artifacts, each with what it is for; one is selected. */
export function ArtifactList(props: {
  artifacts: ArtifactSummary[];
  selectedId?: string;
  onSelect: (id: string) => void;
}) {
  const { artifacts, selectedId, onSelect } = props;
  return (
    <List dense disablePadding aria-label="Generated artifacts">
      {artifacts.map(artifact => (
        <ListItem
          key={artifact.id}
          button
          selected={artifact.id === selectedId}
          onClick={() => onSelect(artifact.id)}
          data-testid={`nthlayer-artifact-${artifact.id}`}
          alignItems="flex-start"
        >
          <ListItemText
            primary={`${
              ARTIFACT_KIND_TITLES[artifact.kind] ?? artifact.kind
            } — ${artifact.filename}`}
            secondary={artifact.description}
          />
        </ListItem>
      ))}
    </List>
  );
}
