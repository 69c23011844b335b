; Test guest, an ELF32 multiboot kernel: exceptions and interrupts in protected mode. Every test
; raises one exception; the handler prints the vector, the error code, where the saved EIP points
; (relative to the instruction that raised it: +0 for a fault, the instruction's length for a
; trap) and CR2 for page faults, then resumes after the instruction. The test compares the output
; with QEMU's. Build: nasm -f elf32 exceptions.asm && ld -m elf_i386 -n -s -Ttext=0x100000 -e entry
; --build-id=none -o exceptions.elf exceptions.o

        bits 32

MB_MAGIC        equ 0x1BADB002
MB_FLAGS        equ 0x00000002          ; memory information; the ELF headers say where to load

        section .text
        align 4
        dd      MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

%include "lib.inc"

; EXPECT label: the instruction after this macro is the one expected to raise; the handler
; resumes at %1.
%macro EXPECT 1
        mov     dword [site], %%site
        mov     dword [resume], %1
%%site:
%endmacro

        global  entry
entry:
        mov     esp, stack_top
        lgdt    [gdt_pointer]
        jmp     0x08:.flat
.flat:  mov     ax, 0x10
        mov     ds, ax
        mov     es, ax
        mov     fs, ax
        mov     gs, ax
        mov     ss, ax

        ; IDT: interrupt gates for vectors 0-31 and 0x30, all to their stubs.
        xor     ecx, ecx
.gate:  mov     eax, [stub_table + ecx * 4]
        call    set_gate
        inc     ecx
        cmp     ecx, 32
        jb      .gate
        mov     ecx, 0x30
        mov     eax, stub_0x30
        call    set_gate
        lidt    [idt_pointer]

        PRINT   s_de
        mov     eax, 0x1234
        mov     edx, 0x5678
        xor     ecx, ecx
        EXPECT  .de
        div     ecx
.de:    PRINTHEX s_eax, eax             ; a fault leaves every register as before
        PRINTHEX s_edx, edx
        NEWLINE

        PRINT   s_de8
        mov     eax, 0x8000
        mov     cl, 2
        EXPECT  .de8
        idiv    cl                      ; quotient 0x4000 does not fit in AL
.de8:   NEWLINE

        PRINT   s_ud
        EXPECT  .ud
        ud2
.ud:    NEWLINE

        PRINT   s_bp
        EXPECT  .bp
        int3
.bp:    NEWLINE

        PRINT   s_int
        EXPECT  .int
        int     0x30
.int:   NEWLINE

        PRINT   s_of
        mov     al, 0x7F
        add     al, 1
        EXPECT  .of
        into
.of:    NEWLINE

        PRINT   s_br
        mov     eax, 200
        EXPECT  .br
        bound   eax, [bounds]
.br:    NEWLINE

        PRINT   s_gp_limit
        mov     ax, 0x58
        EXPECT  .gp1
        mov     ds, ax
.gp1:   NEWLINE

        PRINT   s_np
        mov     ax, 0x18
        EXPECT  .np
        mov     es, ax
.np:    NEWLINE

        PRINT   s_gp_ss
        xor     eax, eax
        EXPECT  .gp3
        mov     ss, ax
.gp3:   NEWLINE

        ; Paging: identity map 4 MiB; page 0x3FF000 not present, page 0x3FE000 read-only.
        mov     edi, page_table
        mov     eax, 3
        mov     ecx, 1024
.pte:   stosd
        add     eax, 0x1000
        loop    .pte
        mov     dword [page_table + 0x3FF * 4], 0
        and     dword [page_table + 0x3FE * 4], ~2
        and     dword [page_table + 0x3FD * 4], ~0x60
        mov     dword [page_directory], page_table + 3
        mov     eax, page_directory
        mov     cr3, eax
        mov     eax, cr0
        or      eax, 0x80000000
        mov     cr0, eax

        PRINT   s_pf_write
        EXPECT  .pf1
        mov     dword [0x3FF123], 1
.pf1:   NEWLINE

        PRINT   s_pf_read
        EXPECT  .pf2
        mov     eax, [0x3FEFFE]
.pf2:   NEWLINE

        PRINT   s_ro
        mov     dword [0x3FE010], 0x1111    ; CR0.WP clear: the supervisor may write
        mov     eax, [0x3FE010]
        PRINTHEX s_eax, eax
        mov     eax, cr0
        or      eax, 0x10000
        mov     cr0, eax
        EXPECT  .pf3
        mov     dword [0x3FE010], 0x2222
.pf3:   mov     eax, [0x3FE010]
        PRINTHEX s_eax, eax
        NEWLINE

        PRINT   s_ad
        mov     eax, [page_table + 0x3FD * 4]
        and     eax, 0x60
        PRINTHEX s_pte, eax
        mov     eax, [0x3FD000]
        mov     eax, [page_table + 0x3FD * 4]
        and     eax, 0x60
        PRINTHEX s_pte, eax
        mov     byte [0x3FD001], 1
        mov     eax, [page_table + 0x3FD * 4]
        and     eax, 0x60
        PRINTHEX s_pte, eax
        NEWLINE

        PRINT   s_done
        EXIT    0

; set_gate: IDT entry ECX -> handler EAX (32-bit interrupt gate, DPL 0, selector 0x08).
set_gate:
        mov     [idt + ecx * 8], ax
        mov     word [idt + ecx * 8 + 2], 0x08
        mov     word [idt + ecx * 8 + 4], 0x8E00
        shr     eax, 16
        mov     [idt + ecx * 8 + 6], ax
        ret


%assign v 0
%rep 32
        EXCEPTION_STUB v
%assign v v + 1
%endrep
        EXCEPTION_STUB 0x30

handler_common:
        push    eax
        push    ebx
        mov     ebx, [esp + 8]          ; vector
        PRINTHEX s_vec, ebx
        mov     eax, [esp + 12]         ; error code
        PRINTHEX s_err, eax
        mov     eax, [esp + 16]         ; saved EIP
        sub     eax, [site]
        PRINTHEX s_at, eax
        cmp     ebx, 14
        jne     .notpf
        mov     eax, cr2
        PRINTHEX s_cr2, eax
.notpf: mov     eax, [resume]
        mov     [esp + 16], eax
        pop     ebx
        pop     eax
        add     esp, 8
        iretd

        section .data
        align 8
gdt:    dq      0
        dq      0x00CF9A000000FFFF      ; 0x08 code
        dq      0x00CF92000000FFFF      ; 0x10 data
        dq      0x00CF12000000FFFF      ; 0x18 data, not present
gdt_end:
gdt_pointer:
        dw      gdt_end - gdt - 1
        dd      gdt
idt_pointer:
        dw      256 * 8 - 1
        dd      idt
bounds: dd      10, 100
stub_table:
%assign v 0
%rep 32
        dd      stub_ %+ v
%assign v v + 1
%endrep

s_de:   db "div by zero: ", 0
s_de8:  db "idiv overflow: ", 0
s_ud:   db "ud2: ", 0
s_bp:   db "int3: ", 0
s_int:  db "int 0x30: ", 0
s_of:   db "into: ", 0
s_br:   db "bound: ", 0
s_gp_limit: db "selector past the gdt limit: ", 0
s_np:   db "not-present segment: ", 0
s_gp_ss: db "null ss: ", 0
s_pf_write: db "write to a missing page: ", 0
s_pf_read: db "read across into a missing page: ", 0
s_ro:   db "read-only page: ", 0
s_ad:   db "accessed and dirty bits: ", 0
s_vec:  db "vec=", 0
s_err:  db "err=", 0
s_at:   db "at=+", 0
s_cr2:  db "cr2=", 0
s_eax:  db "eax=", 0
s_edx:  db "edx=", 0
s_pte:  db "pte=", 0
s_done: db "done", 10, 0

        section .bss
        alignb  4096
page_directory: resb 4096
page_table:     resb 4096
idt:            resb 256 * 8
site:           resd 1
resume:         resd 1
                resb 8192
stack_top:
