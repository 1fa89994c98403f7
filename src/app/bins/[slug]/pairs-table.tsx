import { CopyButton } from "../../_components/copy-button";

/** Name/value pairs in order, duplicates kept; values are text, never markup. */
export function PairsTable({ caption, pairs, copyable = false }: { caption: string; pairs: [string, string][]; copyable?: boolean }) {
  return (
    <table className="w-full table-fixed border-collapse text-sm">
      <caption className="mb-1 text-left font-semibold">{caption}</caption>
      <tbody>
        {pairs.map(([name, value], index) => (
          <tr key={`${index}-${name}`} className="border-t border-zinc-200 align-top dark:border-zinc-800">
            <th scope="row" className="w-1/3 break-all py-1 pr-3 text-left font-mono text-xs font-medium text-zinc-600 dark:text-zinc-400">{name}</th>
            <td className="break-all py-1 font-mono text-xs whitespace-pre-wrap">{value}</td>
            {copyable && (
              <td className="w-16 py-0.5 text-right">
                <CopyButton text={`${name}: ${value}`} description={`Copy header ${name}`} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
