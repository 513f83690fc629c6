import { render } from 'preact';
import './pages.css';
import { App } from './components/app.js';
import { chooseLanguage } from './i18n.js';
import { LanguageContext } from './i18n-context.js';

const language = chooseLanguage(location.search, navigator.languages ?? [navigator.language]);
document.documentElement.lang = language;

render(
  <LanguageContext.Provider value={language}>
    <App />
  </LanguageContext.Provider>,
  document.getElementById('app')!,
);
