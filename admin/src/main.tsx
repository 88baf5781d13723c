import { render } from 'preact';
import { App } from './app.tsx';
import { applyTheme, savedTheme } from './lib/theme.ts';
import { trackViewportHeight } from './lib/viewport-height.ts';
import './styles/app.css';
import './styles/agent-day.css';
import './styles/quick-replies.css';
import './styles/message-actions.css';

applyTheme(savedTheme());
trackViewportHeight();
render(<App />, document.getElementById('app')!);
