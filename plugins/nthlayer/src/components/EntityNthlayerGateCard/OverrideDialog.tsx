import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { GateOverride } from '@nthlayer/backstage-plugin-common';
import { FormEvent, useState } from 'react';
import { nthlayerApiRef } from '../../api';
import {
  EXPIRY_CHOICES,
  ExpiryChoice,
  MIN_REASON_LENGTH,
  OverrideFormProblems,
  checkOverrideForm,
  requestErrorMessage,
} from './format';

const EMPTY = {
  reason: '',
  expiry: '1' as ExpiryChoice,
  customAt: '',
  version: '',
};

/**
 * The "Override gate" dialog: reason (at least ten characters), expiry (1 h, 4 h, 24 h or
 * a date and time) and an optional version; posts the override and calls `onCreated`.
 * A rejected request leaves the dialog open with the backend's message.
 */
export function OverrideDialog(props: {
  open: boolean;
  entityRef: string;
  onClose: () => void;
  onCreated: (override: GateOverride) => void;
}) {
  const api = useApi(nthlayerApiRef);
  const [form, setForm] = useState(EMPTY);
  const [problems, setProblems] = useState<OverrideFormProblems>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const update = (field: keyof typeof EMPTY) => (value: string) => {
    setForm(previous => ({ ...previous, [field]: value }));
    setProblems(previous => ({
      ...previous,
      [field === 'customAt' || field === 'expiry' ? 'expiresAt' : field]:
        undefined,
    }));
  };

  const close = () => {
    if (busy) return;
    setProblems({});
    setError(undefined);
    props.onClose();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const checked = checkOverrideForm(form, new Date());
    setProblems(checked.problems);
    if (!checked.expiresAt || checked.problems.reason) return;
    const version = form.version.trim();
    setBusy(true);
    setError(undefined);
    try {
      const override = await api.createGateOverride({
        entityRef: props.entityRef,
        reason: form.reason.trim(),
        expiresAt: checked.expiresAt,
        ...(version ? { version } : {}),
      });
      setForm(EMPTY);
      setBusy(false);
      props.onCreated(override);
    } catch (e) {
      setBusy(false);
      setError(requestErrorMessage(e));
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={close}
      aria-labelledby="nthlayer-gate-override-title"
      fullWidth
      maxWidth="sm"
    >
      <form
        onSubmit={submit}
        noValidate
        data-testid="nthlayer-gate-override-form"
      >
        <DialogTitle id="nthlayer-gate-override-title">
          Override gate
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Lets deploys of {props.entityRef} through the gate until the
            override expires or is revoked, whatever the rules say. It is
            recorded in the audit log with your name.
          </DialogContentText>
          <TextField
            id="nthlayer-gate-override-reason"
            label="Reason"
            required
            fullWidth
            multiline
            minRows={2}
            margin="normal"
            value={form.reason}
            onChange={e => update('reason')(e.target.value)}
            error={Boolean(problems.reason)}
            helperText={
              problems.reason ??
              `At least ${MIN_REASON_LENGTH} characters; shown on the card, in the audit log and in every decision it changes.`
            }
          />
          <TextField
            id="nthlayer-gate-override-expiry"
            label="Expires in"
            select
            SelectProps={{ native: true }}
            fullWidth
            margin="normal"
            value={form.expiry}
            onChange={e => update('expiry')(e.target.value)}
          >
            {EXPIRY_CHOICES.map(choice => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </TextField>
          {form.expiry === 'custom' && (
            <TextField
              id="nthlayer-gate-override-expires-at"
              label="Expires at"
              type="datetime-local"
              fullWidth
              margin="normal"
              InputLabelProps={{ shrink: true }}
              value={form.customAt}
              onChange={e => update('customAt')(e.target.value)}
              error={Boolean(problems.expiresAt)}
              helperText={problems.expiresAt ?? 'Your local time.'}
            />
          )}
          <TextField
            id="nthlayer-gate-override-version"
            label="Version"
            fullWidth
            margin="normal"
            value={form.version}
            onChange={e => update('version')(e.target.value)}
            helperText="Only deploys of this version; leave empty for any version."
          />
          {error && (
            <Typography
              color="error"
              variant="body2"
              role="alert"
              data-testid="nthlayer-gate-override-error"
            >
              The override was not created: {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={busy}
          >
            Create override
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
