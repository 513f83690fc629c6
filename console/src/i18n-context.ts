import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { texts, type Language, type Texts } from './i18n.js';

export const LanguageContext = createContext<Language>('en');

/** The texts of the language the console speaks. */
export function useTexts(): Texts {
  return texts[useContext(LanguageContext)];
}

export const useLanguage = () => useContext(LanguageContext);
